import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../core/index.js';
import { alertName, alertRulesSchema } from '../../../monitoring/index.js';

const SEED = {
  alert_rules: [
    { name: 'High latency', metric: 'response_time', threshold: 500, period: '5m', severity: 'critical' },
    { name: 'Error rate', metric: 'error_rate', threshold: 0.05, period: '1m', severity: 'warning' },
  ],
};

/** Every message the schema gives for `rules`, as load-config would show them (path: message). */
function problems(rules: unknown[]): string[] {
  const result = alertRulesSchema.safeParse({ alert_rules: rules });
  if (result.success) throw new Error('expected the rules to be refused');
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

const emptyDir = () => mkdtempSync(join(tmpdir(), 'opsbot-alert-rules-'));

function configProblems(env: Record<string, string>, dir: string): string[] {
  try {
    loadConfig(env, dir);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('alert rules in the seed\'s JSON', () => {
  it('reads the seed exactly, with a threshold type and ">" by default', () => {
    expect(alertRulesSchema.parse(SEED).alert_rules).toEqual([
      { name: 'High latency', type: 'threshold', metric: 'response_time', threshold: 500, operator: '>', period: '5m', severity: 'critical' },
      { name: 'Error rate', type: 'threshold', metric: 'error_rate', threshold: 0.05, operator: '>', period: '1m', severity: 'warning' },
    ]);
  });

  it('takes selectors, an operator and anomaly rules with their defaults', () => {
    const [low, anomaly] = alertRulesSchema.parse({
      alert_rules: [
        { name: 'Cache cold', metric: 'cache_hit_ratio', operator: '<', threshold: 0.2, period: '10m', severity: 'info', model: 'sentiment', env: 'prod' },
        { name: 'Latency anomaly', type: 'anomaly', metric: 'p99_latency', period: '5m', severity: 'warning' },
      ],
    }).alert_rules;
    expect(low).toMatchObject({ operator: '<', model: 'sentiment', env: 'prod' });
    expect(anomaly).toEqual({ name: 'Latency anomaly', type: 'anomaly', metric: 'p99_latency', operator: '>', period: '5m', severity: 'warning', window: '1h', z: 3.5 });
  });

  it('refuses a wrong rule naming the rule and the field', () => {
    expect(problems([SEED.alert_rules[0], { name: 'Error rate', metric: 'errors', threshold: '5%', period: '1 minute', severity: 'page' }])).toEqual([
      expect.stringMatching(/^alert_rules\.1\.metric: rule "Error rate" \(#2\): metric must be one of response_time, .*qps/),
      'alert_rules.1.threshold: rule "Error rate" (#2): threshold must be a number (response_time and the latencies in ms, ratios from 0 to 1)',
      expect.stringMatching(/^alert_rules\.1\.period: rule "Error rate" \(#2\): period must be a duration such as "30s", "5m" or "1h"/),
      'alert_rules.1.severity: rule "Error rate" (#2): severity must be one of critical, warning, info',
    ]);
  });

  it('names a rule without a name by its position, and refuses unknown fields, a missing threshold and anomaly-only fields', () => {
    expect(problems([{ metric: 'qps', threshold: 1, period: '1m', severity: 'info' }])).toEqual(['alert_rules.0.name: rule #1: name is required']);
    expect(problems([{ name: 'Slow', metric: 'response_time', treshold: 500, period: '5m', severity: 'critical' }])).toEqual([
      'alert_rules.0: rule "Slow" (#1): unknown field "treshold"',
    ]);
    expect(problems([{ name: 'Slow', metric: 'response_time', period: '5m', severity: 'critical', z: 3 }])).toEqual([
      'alert_rules.0.threshold: rule "Slow" (#1): threshold is required for a threshold rule (a number)',
      'alert_rules.0.z: rule "Slow" (#1): z is only for type "anomaly"',
    ]);
    expect(problems([{ name: 'Odd', type: 'anomaly', metric: 'qps', threshold: 3, window: '5m', period: '5m', severity: 'info', operator: '!=' }])).toEqual([
      'alert_rules.0.operator: rule "Odd" (#1): operator must be one of > >= < <=',
    ]);
    expect(problems([{ name: 'Odd', type: 'anomaly', metric: 'qps', threshold: 3, window: '5m', period: '5m', severity: 'info' }])).toEqual([
      'alert_rules.0.threshold: rule "Odd" (#1): an anomaly rule compares a z-score with "z", not "threshold"',
      'alert_rules.0.window: rule "Odd" (#1): window must be at least 10m, so the median and MAD have enough points',
    ]);
    expect(problems([{ ...SEED.alert_rules[0], model: 'Not A Model' }])).toEqual([expect.stringMatching(/^alert_rules\.0\.model: rule "High latency" \(#1\): model: /)]);
  });

  it('refuses two rules that would raise the same alert', () => {
    expect(problems([SEED.alert_rules[0], { ...SEED.alert_rules[1], name: 'high-latency' }])).toEqual([
      'alert_rules.1.name: rule "high-latency": name is used twice (also "High latency"); every rule needs a name of its own',
    ]);
  });

  it('turns a rule name into a Prometheus alert name', () => {
    expect(alertName('High latency')).toBe('HighLatency');
    expect(alertName('error-rate (prod)')).toBe('ErrorRateProd');
    expect(alertName('5xx burst')).toBe('Opsbot5xxBurst');
  });
});

describe('alert rules in the config', () => {
  it('reads alerts.rules from opsbot.config.json and appends those of OPSBOT_ALERT_RULES', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'opsbot.config.json'), JSON.stringify({ alerts: { rules: [{ name: 'Busy', metric: 'in_flight', threshold: 50, period: '2m', severity: 'info' }] } }));
    writeFileSync(join(dir, 'rules.json'), JSON.stringify(SEED));
    const { config } = loadConfig({ OPSBOT_ALERT_RULES: 'rules.json' }, dir);
    expect(config.alerts?.rules.map((rule) => rule.name)).toEqual(['Busy', 'High latency', 'Error rate']);
  });

  it('has no rules by default and does not warn about OPSBOT_ALERT_RULES', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'rules.json'), JSON.stringify({ alert_rules: [] }));
    expect(loadConfig({}, emptyDir()).config.alerts).toBeUndefined();
    expect(loadConfig({ OPSBOT_ALERT_RULES: 'rules.json' }, dir).warnings).toEqual([]);
  });

  it('refuses a wrong rule at start-up, naming the rule and the field', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'rules.json'), JSON.stringify({ alert_rules: [SEED.alert_rules[0], { ...SEED.alert_rules[1], threshold: -1, period: 'soon' }] }));
    expect(configProblems({ OPSBOT_ALERT_RULES: 'rules.json' }, dir)).toEqual([
      `OPSBOT_ALERT_RULES (${join(dir, 'rules.json')}): alert_rules.1.period: rule "Error rate" (#2): period must be a duration such as "30s", "5m" or "1h" (a number and one of ms, s, m, h, d, w, y)`,
    ]);
    writeFileSync(join(dir, 'opsbot.config.json'), JSON.stringify({ alerts: { rules: [{ ...SEED.alert_rules[0], severity: 'page' }] } }));
    expect(configProblems({}, dir)).toEqual(['alerts.rules.0.severity: rule "High latency" (#1): severity must be one of critical, warning, info']);
  });

  it('refuses a rule of OPSBOT_ALERT_RULES named like one of the config\'s', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'opsbot.config.json'), JSON.stringify({ alerts: { rules: [SEED.alert_rules[0]] } }));
    writeFileSync(join(dir, 'rules.json'), JSON.stringify(SEED));
    expect(configProblems({ OPSBOT_ALERT_RULES: 'rules.json' }, dir)).toEqual([
      'alerts.rules.1.name: rule "High latency": name is used twice (also "High latency"); every rule needs a name of its own',
    ]);
  });

  it('refuses a missing, malformed or wrongly shaped OPSBOT_ALERT_RULES file, naming it', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'broken.json'), '{"alert_rules": [');
    writeFileSync(join(dir, 'shape.json'), JSON.stringify({ rules: [] }));
    expect(configProblems({ OPSBOT_ALERT_RULES: 'missing.json' }, dir)).toEqual([`OPSBOT_ALERT_RULES: no file at ${join(dir, 'missing.json')}`]);
    expect(configProblems({ OPSBOT_ALERT_RULES: 'broken.json' }, dir)).toEqual([expect.stringContaining(`OPSBOT_ALERT_RULES: ${join(dir, 'broken.json')} is not valid JSON`)]);
    expect(configProblems({ OPSBOT_ALERT_RULES: 'shape.json' }, dir)).toEqual([`OPSBOT_ALERT_RULES: ${join(dir, 'shape.json')} must hold {"alert_rules": [ ... ]} and nothing else`]);
  });
});
