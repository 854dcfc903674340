import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { InvalidInputError, loadConfig } from '../../../core/index.js';
import { runAlertRulesCli, runPrometheusConfigCli } from '../../../monitoring/index.js';

const sink = () => {
  const chunks: string[] = [];
  return { stream: new Writable({ write: (chunk: Buffer, _encoding, done) => (chunks.push(chunk.toString('utf8')), done()) }), text: () => chunks.join('') };
};

describe('the monitoring commands', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-monitoring-cli-'));
  });

  it('alert-rules needs its subcommand, and says so when there are no rules to export', async () => {
    const { config } = loadConfig({ OPSBOT_DATA_DIR: join(dir, 'data') }, dir);
    const out = sink();
    const err = sink();
    await expect(runAlertRulesCli(config, undefined, {}, { stdout: out.stream, stderr: err.stream })).rejects.toThrow(InvalidInputError);
    await expect(runAlertRulesCli(config, 'export', {}, { stdout: out.stream, stderr: err.stream })).resolves.toBe(0);
    expect(err.text()).toContain('opsbot has no alert rules');
    expect(out.text()).toContain('name: "opsbot-alert-rules"\n    rules: []');
  });

  it('prometheus-config on the Kubernetes target discovers pods in every environment\'s namespace', async () => {
    writeFileSync(join(dir, 'opsbot.config.json'), JSON.stringify({ deploy: { target: 'kubernetes', kubernetes: { image: 'registry.example.com/opsbot:1', namespaces: { prod: 'ml-prod' } } } }));
    const { config } = loadConfig({ OPSBOT_DATA_DIR: join(dir, 'data') }, dir);
    const out = sink();
    await expect(runPrometheusConfigCli(config, { out: join(dir, 'prometheus.yml') }, { stdout: out.stream, stderr: sink().stream })).resolves.toBe(0);
    const yaml = readFileSync(join(dir, 'prometheus.yml'), 'utf8');
    expect(yaml).toContain('kubernetes_sd_configs:\n      - role: "pod"\n        namespaces:\n          names:\n            - "opsbot-dev"\n            - "opsbot-staging"\n            - "ml-prod"');
    expect(yaml).not.toContain('authorization');
  });

  it('prometheus-config on the local target with nothing deployed yet writes an empty file_sd file', async () => {
    const { config } = loadConfig({ OPSBOT_DATA_DIR: join(dir, 'data') }, dir);
    const err = sink();
    await runPrometheusConfigCli(config, { fileSd: join(dir, 'sd.json') }, { stdout: sink().stream, stderr: err.stream });
    expect(JSON.parse(readFileSync(join(dir, 'sd.json'), 'utf8'))).toEqual([]);
    expect(err.text()).toContain(`wrote 0 model endpoint(s) to ${join(dir, 'sd.json')}`);
  });
});
