import { localFileSd, prometheusConfig, toYaml } from '../../../monitoring/index.js';

describe('Prometheus scrape configs', () => {
  it('the local target\'s routers become file_sd targets: the endpoint as role live, the preview as role preview', () => {
    expect(localFileSd([{ model: 'spam', env: 'prod', endpoint: 41001, preview: 41002 }])).toEqual([
      { targets: ['127.0.0.1:41001'], labels: { model: 'spam', env: 'prod', role: 'live' } },
      { targets: ['127.0.0.1:41002'], labels: { model: 'spam', env: 'prod', role: 'preview' } },
    ]);
  });

  it('Kubernetes pods are kept when opsbot manages them as model servers and labelled from opsbot.dev/*', () => {
    const config = prometheusConfig({ bot: { host: '0.0.0.0', port: 3000 }, workers: [], modelServers: { kind: 'kubernetes', namespaces: ['opsbot-prod'] }, ruleFiles: [] });
    const jobs = config.scrape_configs as Array<Record<string, unknown>>;
    expect(jobs.map((job) => job.job_name)).toEqual(['opsbot-bot', 'opsbot-model-servers']);
    expect(jobs[0]).toMatchObject({ static_configs: [{ targets: ['127.0.0.1:3000'] }], authorization: undefined });
    expect(jobs[1]).toMatchObject({
      honor_labels: true,
      kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: ['opsbot-prod'] } }],
      relabel_configs: expect.arrayContaining([
        { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_managed_by', '__meta_kubernetes_pod_label_app_kubernetes_io_component'], regex: 'opsbot;model-server', action: 'keep' },
        { source_labels: ['__meta_kubernetes_pod_label_opsbot_dev_colour'], target_label: 'colour', action: 'replace' },
        { source_labels: ['__meta_kubernetes_pod_label_opsbot_dev_env'], target_label: 'env', action: 'replace' },
      ]),
    });
  });

  it('the bot and workers are scraped with the bearer token from a file when /metrics needs one', () => {
    const config = prometheusConfig({ bot: { host: 'opsbot.internal', port: 3000 }, tokenFile: '/etc/prometheus/t', workers: ['w1:9464', 'w2:9464'], modelServers: { kind: 'file_sd', file: '/x.json' }, ruleFiles: ['/r.yml'] });
    const jobs = config.scrape_configs as Array<Record<string, unknown>>;
    expect(jobs[1]).toEqual({ job_name: 'opsbot-workers', metrics_path: '/metrics', authorization: { type: 'Bearer', credentials_file: '/etc/prometheus/t' }, static_configs: [{ targets: ['w1:9464', 'w2:9464'], labels: { component: 'worker' } }] });
    expect(jobs[2]).toMatchObject({ file_sd_configs: [{ files: ['/x.json'] }] });
    expect(config.rule_files).toEqual(['/r.yml']);
  });
});

describe('toYaml', () => {
  it('writes nested maps and lists, quotes every string as JSON does and leaves undefined keys out', () => {
    expect(toYaml({ a: [{ b: 'x: {{ $value }} # not a comment', c: [1, 2] }, 'y'], d: {}, e: [], f: undefined, g: true, 'h-i': null }, 'top')).toBe(
      ['# top', 'a:', '  - b: "x: {{ $value }} # not a comment"', '    c:', '      - 1', '      - 2', '  - "y"', 'd: {}', 'e: []', 'g: true', '"h-i": null', ''].join('\n'),
    );
  });
});
