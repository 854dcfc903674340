import { alertExpression, alertRulesSchema, anomalyStep, metricExpression, prometheusRule, type AlertRule } from '../../../monitoring/index.js';

const parse = (rules: unknown[]): AlertRule[] => alertRulesSchema.parse({ alert_rules: rules }).alert_rules;
const PREDICT = 'route=~"/v1/models/:name:predict|/v2/models/:name/infer"';

describe('the PromQL of alert rules', () => {
  it('maps the seed\'s rules to opsbot\'s series: response_time is the p95 in ms, error_rate 5xx over all predictions', () => {
    const [latency, errors] = parse([
      { name: 'High latency', metric: 'response_time', threshold: 500, period: '5m', severity: 'critical' },
      { name: 'Error rate', metric: 'error_rate', threshold: 0.05, period: '1m', severity: 'warning' },
    ]);
    expect(alertExpression(latency!)).toBe(
      `(1000 * histogram_quantile(0.95, sum by (model, env, le) (rate(opsbot_model_server_request_duration_seconds_bucket{${PREDICT}}[1m])))) > 500`,
    );
    expect(alertExpression(errors!)).toBe(
      `(sum by (model, env) (rate(opsbot_model_server_requests_total{${PREDICT},code=~"5.."}[1m])) / sum by (model, env) (rate(opsbot_model_server_requests_total{${PREDICT}}[1m]))) > 0.05`,
    );
  });

  it('adds the model and env selectors as matchers and honours the operator', () => {
    const [rule] = parse([{ name: 'Cold cache', metric: 'cache_hit_ratio', operator: '<=', threshold: 0.2, period: '10m', severity: 'info', model: 'sentiment', env: 'prod' }]);
    const sel = '{model="sentiment",env="prod"}';
    expect(alertExpression(rule!)).toBe(
      `(sum by (model, env) (rate(opsbot_model_server_cache_hits_total${sel}[1m])) / (sum by (model, env) (rate(opsbot_model_server_cache_hits_total${sel}[1m])) + sum by (model, env) (rate(opsbot_model_server_cache_misses_total${sel}[1m])))) <= 0.2`,
    );
  });

  it('an anomaly rule is the robust z-score against the trailing window (median and MAD by quantile_over_time over subqueries)', () => {
    const [spike, drop] = parse([
      { name: 'Traffic spike', type: 'anomaly', metric: 'qps', period: '5m', severity: 'warning', model: 'm' },
      { name: 'Traffic drop', type: 'anomaly', metric: 'qps', operator: '<', window: '2h', z: 4, madFloor: 0.5, period: '5m', severity: 'warning' },
    ]);
    const x = metricExpression(spike!);
    expect(x).toBe(`sum by (model, env) (rate(opsbot_model_server_requests_total{${PREDICT},model="m"}[1m]))`);
    const median = `quantile_over_time(0.5, (${x})[1h:60s])`;
    expect(alertExpression(spike!)).toBe(`(0.6745 * ((${x}) - ${median}) / clamp_min(quantile_over_time(0.5, (abs((${x}) - ${median}))[1h:60s]), 0.1)) > 3.5`);
    expect(alertExpression(drop!)).toMatch(/\[2h:120s\]\), 0\.5\)\) < -4$/);
    expect(anomalyStep('10m')).toBe('15s');
  });

  it('labels say severity, rule and metric (and the selectors); annotations give value, threshold and a runbook', () => {
    const [rule] = parse([{ name: 'High latency', metric: 'p99_latency', threshold: 800, period: '5m', severity: 'critical', env: 'prod', runbook_url: 'https://wiki.example.com/latency' }]);
    expect(prometheusRule(rule!)).toEqual({
      alert: 'HighLatency',
      expr: expect.stringContaining('histogram_quantile(0.99,'),
      for: '5m',
      labels: { severity: 'critical', rule: 'High latency', metric: 'p99_latency', source: 'opsbot', model: undefined, env: 'prod' },
      annotations: {
        summary: 'High latency: {{ $labels.model }} in {{ $labels.env }}',
        description: 'p99_latency (p99 latency of predictions, ms) is {{ $value | printf "%.4g" }}, threshold > 800 for 5m.',
        runbook_url: 'https://wiki.example.com/latency',
      },
    });
  });
});
