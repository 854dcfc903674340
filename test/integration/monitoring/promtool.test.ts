import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../../core/index.js';
import { alertRulesSchema, metricExpression, prometheusConfig, prometheusConfigYaml, prometheusRuleFile, prometheusRuleGroups, runAlertRulesCli, runPrometheusConfigCli, toYaml, type AlertRule } from '../../../monitoring/index.js';
import { PROMTOOL, promtool } from '../../helpers/prometheus-stack.js';
import { requireService } from '../../helpers/required-service.js';

const hasPromtool = requireService(PROMTOOL !== undefined, 'the Prometheus rule and config tests need promtool (apt-get install -y prometheus)');
const describeWithPromtool = hasPromtool ? describe : describe.skip;

const SEED = {
  alert_rules: [
    { name: 'High latency', metric: 'response_time', threshold: 500, period: '5m', severity: 'critical' },
    { name: 'Error rate', metric: 'error_rate', threshold: 0.05, period: '1m', severity: 'warning' },
  ],
};

const sink = () => {
  const chunks: string[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => (chunks.push(chunk.toString('utf8')), done()) });
  return { stream, text: () => chunks.join('') };
};

/** A series in promtool's expanded notation: one value per interval. */
const values = (list: number[]) => list.map((v) => String(Math.round(v * 1000) / 1000)).join(' ');

/** A counter whose per-sample increments are `step(i)`. */
function counter(samples: number, step: (i: number) => number): number[] {
  const out = [0];
  for (let i = 1; i < samples; i++) out.push((out[i - 1] as number) + step(i));
  return out;
}

const PREDICT = '/v1/models/:name:predict';

describeWithPromtool('alert rules and scrape configs, checked by the real promtool', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-promtool-'));
  });

  it('exports the seed\'s rules (read from OPSBOT_ALERT_RULES) and an anomaly rule as a rule file promtool accepts', async () => {
    writeFileSync(join(dir, 'rules.json'), JSON.stringify(SEED));
    writeFileSync(
      join(dir, 'opsbot.config.json'),
      JSON.stringify({ alerts: { rules: [{ name: 'Traffic anomaly', type: 'anomaly', metric: 'qps', operator: '<', period: '10m', severity: 'info', model: 'sentiment', env: 'prod' }] } }),
    );
    const { config } = loadConfig({ OPSBOT_ALERT_RULES: 'rules.json', OPSBOT_DATA_DIR: join(dir, 'data') }, dir);
    const stdout = sink();
    const stderr = sink();
    await expect(runAlertRulesCli(config, 'export', { out: join(dir, 'opsbot-rules.yml') }, { stdout: stdout.stream, stderr: stderr.stream })).resolves.toBe(0);
    expect(stderr.text()).toContain('wrote 3 alert rule(s)');
    const checked = await promtool(['check', 'rules', 'opsbot-rules.yml'], dir);
    expect(checked).toEqual({ code: 0, output: expect.stringContaining('SUCCESS: 3 rules found') });
    const text = readFileSync(join(dir, 'opsbot-rules.yml'), 'utf8');
    expect(text).toContain('alert: "TrafficAnomaly"');
    expect(text).toContain('alert: "HighLatency"');
  });

  it('promtool refuses a broken rule file, so the check above means something', async () => {
    writeFileSync(join(dir, 'bad.yml'), toYaml({ groups: [{ name: 'x', rules: [{ alert: 'High latency', expr: 'sum(', for: '5m' }] }] }));
    const checked = await promtool(['check', 'rules', 'bad.yml'], dir);
    expect(checked.code).not.toBe(0);
  });

  it('a threshold rule fires only once its condition has held for the whole period (promtool test rules)', async () => {
    const rules = alertRulesSchema.parse(SEED).alert_rules;
    writeFileSync(join(dir, 'rules.yml'), prometheusRuleFile(rules));
    // 10% of predictions fail (6 of 60 per 15s) from the start: pending from 15s (rate needs two samples), firing 1m later.
    const labels = (code: string) => `{route="${PREDICT}",code="${code}",model="sentiment",version="3",env="prod",role="live"}`;
    const expected = {
      exp_labels: { severity: 'warning', rule: 'Error rate', metric: 'error_rate', source: 'opsbot', model: 'sentiment', env: 'prod' },
      exp_annotations: {
        summary: 'Error rate: sentiment in prod',
        description: 'error_rate (share of predictions answered 5xx, ratio) is 0.1, threshold > 0.05 for 1m.',
        runbook_url: 'https://runbooks.example.com/opsbot/error-rate',
      },
    };
    const test = {
      rule_files: ['rules.yml'],
      evaluation_interval: '15s',
      tests: [
        {
          interval: '15s',
          input_series: [
            { series: `opsbot_model_server_requests_total${labels('500')}`, values: '0+6x40' },
            { series: `opsbot_model_server_requests_total${labels('200')}`, values: '0+54x40' },
            // Healthy traffic of another model never fires.
            { series: `opsbot_model_server_requests_total{route="${PREDICT}",code="200",model="other",version="1",env="prod",role="live"}`, values: '0+60x40' },
            { series: `opsbot_model_server_requests_total{route="${PREDICT}",code="500",model="other",version="1",env="prod",role="live"}`, values: '0+1x40' },
          ],
          alert_rule_test: [
            { eval_time: '1m', alertname: 'ErrorRate', exp_alerts: [] },
            { eval_time: '75s', alertname: 'ErrorRate', exp_alerts: [expected] },
            { eval_time: '5m', alertname: 'ErrorRate', exp_alerts: [expected] },
            { eval_time: '5m', alertname: 'HighLatency', exp_alerts: [] },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'test.yml'), toYaml(test));
    const result = await promtool(['test', 'rules', 'test.yml'], dir);
    expect(result).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('response_time is the p95 of the latency histogram in milliseconds, and High latency fires after its 5m (promtool test rules)', async () => {
    const rules = alertRulesSchema.parse(SEED).alert_rules;
    writeFileSync(join(dir, 'rules.yml'), prometheusRuleFile(rules));
    // 40 predictions per 15s, all between 0.5s and 1s: linear interpolation puts the p95 at 0.5 + 0.5 · 0.95 = 0.975 s.
    const bucket = (le: string, perSample: number) => ({
      series: `opsbot_model_server_request_duration_seconds_bucket{route="${PREDICT}",le="${le}",model="sentiment",version="3",env="prod"}`,
      values: `0+${perSample}x40`,
    });
    // Scrapes of /metrics are fast and many, and must not pull the p95 down.
    const scrapes = { series: 'opsbot_model_server_request_duration_seconds_bucket{route="/metrics",le="0.001",model="sentiment",version="3",env="prod"}', values: '0+1000x40' };
    const test = {
      rule_files: ['rules.yml'],
      evaluation_interval: '15s',
      tests: [
        {
          interval: '15s',
          input_series: [bucket('0.25', 0), bucket('0.5', 0), bucket('1', 40), bucket('+Inf', 40), scrapes],
          promql_expr_test: [
            {
              expr: `round(${metricExpression(rules[0]!)})`,
              eval_time: '2m',
              exp_samples: [{ labels: '{env="prod", model="sentiment"}', value: 975 }],
            },
          ],
          alert_rule_test: [
            { eval_time: '5m', alertname: 'HighLatency', exp_alerts: [] },
            {
              eval_time: '5m30s',
              alertname: 'HighLatency',
              exp_alerts: [
                {
                  exp_labels: { severity: 'critical', rule: 'High latency', metric: 'response_time', source: 'opsbot', model: 'sentiment', env: 'prod' },
                  exp_annotations: {
                    summary: 'High latency: sentiment in prod',
                    description: 'response_time (p95 latency of predictions, ms) is 975, threshold > 500 for 5m.',
                    runbook_url: 'https://runbooks.example.com/opsbot/high-latency',
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'test.yml'), toYaml(test));
    const result = await promtool(['test', 'rules', 'test.yml'], dir);
    expect(result).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('an anomaly rule fires on a spike and not on a slow trend (promtool test rules)', async () => {
    const rules: AlertRule[] = alertRulesSchema.parse({
      alert_rules: [{ name: 'QPS anomaly', type: 'anomaly', metric: 'qps', window: '30m', period: '2m', severity: 'warning' }],
    }).alert_rules;
    // The annotations carry the z-score ($value), which is not this test's point: compare labels only.
    const groups = prometheusRuleGroups(rules) as { groups: Array<{ rules: Array<Record<string, unknown>> }> };
    for (const rule of groups.groups[0]!.rules) delete rule.annotations;
    writeFileSync(join(dir, 'rules.yml'), toYaml(groups as never));
    const samples = 60 * 4; // an hour of 15s samples
    const noise = (i: number) => [0, 12, -9, 5, -14, 8, -3, 11, -6, 2][i % 10] as number;
    // ~10 req/s with noise, then 40 req/s from minute 45.
    const spike = counter(samples, (i) => (i >= 45 * 4 ? 600 : 150) + noise(i));
    // 10 req/s rising steadily to 20 req/s over the hour: a trend, not an anomaly.
    const trend = counter(samples, (i) => 150 + (150 * i) / samples + noise(i));
    const series = (model: string) => `opsbot_model_server_requests_total{route="${PREDICT}",code="200",model="${model}",version="1",env="prod"}`;
    const firing = { exp_labels: { severity: 'warning', rule: 'QPS anomaly', metric: 'qps', source: 'opsbot', model: 'spiky', env: 'prod' } };
    const test = {
      rule_files: ['rules.yml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '15s',
          input_series: [
            { series: series('spiky'), values: values(spike) },
            { series: series('trending'), values: values(trend) },
          ],
          alert_rule_test: [
            { eval_time: '44m', alertname: 'QPSAnomaly', exp_alerts: [] },
            { eval_time: '50m', alertname: 'QPSAnomaly', exp_alerts: [firing] },
            { eval_time: '59m', alertname: 'QPSAnomaly', exp_alerts: [firing] },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'test.yml'), toYaml(test));
    const result = await promtool(['test', 'rules', 'test.yml'], dir);
    expect(result).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('prometheus-config on the local target writes a file_sd file from the ports file; promtool accepts config, targets and rules', async () => {
    const dataDir = join(dir, 'data');
    await mkdir(join(dataDir, 'deploy'), { recursive: true });
    writeFileSync(
      join(dataDir, 'deploy', 'local-endpoints.json'),
      JSON.stringify({ formatVersion: 1, slots: [{ model: 'sentiment', env: 'prod', endpoint: 41001, preview: 41002 }, { model: 'spam', env: 'dev', endpoint: 41003, preview: 41004 }] }),
    );
    writeFileSync(join(dir, 'rules.json'), JSON.stringify(SEED));
    writeFileSync(join(dir, 'token'), 'x'.repeat(40));
    const { config } = loadConfig({ OPSBOT_DATA_DIR: dataDir, OPSBOT_ALERT_RULES: 'rules.json', PORT: '8123', OPSBOT_HOST: '0.0.0.0' }, dir);
    const io = { stdout: sink(), stderr: sink() };
    await runAlertRulesCli(config, 'export', { out: join(dir, 'rules.yml') }, { stdout: io.stdout.stream, stderr: io.stderr.stream });
    const out = sink();
    await expect(
      runPrometheusConfigCli(config, { rules: join(dir, 'rules.yml'), tokenFile: join(dir, 'token') }, { stdout: out.stream, stderr: io.stderr.stream }),
    ).resolves.toBe(0);
    writeFileSync(join(dir, 'prometheus.yml'), out.text());
    expect(out.text()).toContain('"127.0.0.1:8123"');
    const fileSd = JSON.parse(readFileSync(join(dataDir, 'deploy', 'prometheus-file-sd.json'), 'utf8'));
    expect(fileSd).toEqual([
      { targets: ['127.0.0.1:41001'], labels: { model: 'sentiment', env: 'prod', role: 'live' } },
      { targets: ['127.0.0.1:41002'], labels: { model: 'sentiment', env: 'prod', role: 'preview' } },
      { targets: ['127.0.0.1:41003'], labels: { model: 'spam', env: 'dev', role: 'live' } },
      { targets: ['127.0.0.1:41004'], labels: { model: 'spam', env: 'dev', role: 'preview' } },
    ]);
    const checked = await promtool(['check', 'config', 'prometheus.yml'], dir);
    expect(checked).toEqual({ code: 0, output: expect.stringContaining('SUCCESS: 2 rules found') });
    expect(checked.output).toContain('is valid prometheus config file syntax');
  });

  it('the Kubernetes scrape config (pod SD relabelled from opsbot.dev/* labels) passes promtool check config', async () => {
    const input = { bot: { host: 'opsbot.internal', port: 3000 }, workers: ['worker-1:9464'], modelServers: { kind: 'kubernetes' as const, namespaces: ['opsbot-prod', 'ml-dev'] }, ruleFiles: [] };
    writeFileSync(join(dir, 'prometheus.yml'), prometheusConfigYaml(input));
    const checked = await promtool(['check', 'config', 'prometheus.yml'], dir);
    if (checked.code !== 0 && checked.output.includes('field kubernetes_sd_configs not found')) {
      // Debian builds Prometheus without Kubernetes SD: check everything else of the job (its relabelling included)
      // with the same job discovering through static_configs instead.
      console.warn('this promtool has no Kubernetes SD (a Debian build); the job is checked with static_configs in its place');
      const config = prometheusConfig(input) as { scrape_configs: Array<Record<string, unknown>> };
      const job = config.scrape_configs.find((j) => j.job_name === 'opsbot-model-servers') as Record<string, unknown>;
      delete job.kubernetes_sd_configs;
      job.static_configs = [{ targets: ['10.0.0.1:8080'] }];
      writeFileSync(join(dir, 'static.yml'), toYaml(config as never));
      const fallback = await promtool(['check', 'config', 'static.yml'], dir);
      expect(fallback).toEqual({ code: 0, output: expect.stringContaining('is valid prometheus config file syntax') });
      return;
    }
    expect(checked).toEqual({ code: 0, output: expect.stringContaining('is valid prometheus config file syntax') });
  });
});
