import { toYaml, type YamlMap } from './yaml.js';

/** What the scrape config is built from (app/ fills it from opsbot's config). */
export interface ScrapeConfigInput {
  /** The bot's HTTP server (its /metrics). */
  bot: { host: string; port: number };
  /** The file Prometheus reads the bearer token from, when /metrics needs one (OPSBOT_METRICS_TOKEN). */
  tokenFile?: string;
  /** Workers' metrics listeners (OPSBOT_WORKER_METRICS_PORT), one address per worker; none: no worker job. */
  workers: string[];
  /** Where the model servers are found. */
  modelServers: { kind: 'file_sd'; file: string } | { kind: 'kubernetes'; namespaces: string[] };
  /** Rule files to load, e.g. the one `opsbot alert-rules export` wrote. */
  ruleFiles: string[];
  scrapeInterval?: string;
}

/** An address Prometheus can dial: a wildcard listen address means this machine. */
function dialable(host: string, port: number): string {
  const h = ['0.0.0.0', '::', '[::]', ''].includes(host) ? '127.0.0.1' : host;
  return `${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${port}`;
}

/** `__meta_kubernetes_pod_label_<name>`: Prometheus turns every character a label name cannot hold into `_`. */
const podLabel = (name: string) => `__meta_kubernetes_pod_label_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;

/**
 * Kubernetes SD, role pod: every container port named `http` of a pod opsbot manages as a model server, one target per
 * pod (so replicas never blur into one series), labelled from the pods' own opsbot.dev/* labels.
 */
function kubernetesJob(namespaces: string[]): YamlMap {
  const copy = (label: string, target: string) => ({ source_labels: [podLabel(label)], target_label: target, action: 'replace' });
  return {
    job_name: 'opsbot-model-servers',
    honor_labels: true,
    metrics_path: '/metrics',
    kubernetes_sd_configs: [{ role: 'pod', namespaces: namespaces.length > 0 ? { names: namespaces } : undefined }],
    relabel_configs: [
      { source_labels: [podLabel('app.kubernetes.io/managed-by'), podLabel('app.kubernetes.io/component')], regex: 'opsbot;model-server', action: 'keep' },
      { source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: 'http', action: 'keep' },
      copy('opsbot.dev/model', 'model'),
      copy('opsbot.dev/version', 'version'),
      copy('opsbot.dev/colour', 'colour'),
      copy('opsbot.dev/env', 'env'),
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace', action: 'replace' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod', action: 'replace' },
    ],
  };
}

/**
 * The Prometheus configuration for opsbot: the bot, its workers and the model servers. Model servers expose
 * `model` and `version` themselves; `env` (and `role` or `colour`) come from these targets' labels, which is what the
 * alert rules' `env` selector matches. `honor_labels` keeps the servers' own `model`/`version` where both exist.
 */
export function prometheusConfig(input: ScrapeConfigInput): YamlMap {
  const interval = input.scrapeInterval ?? '15s';
  const authorization = input.tokenFile ? { type: 'Bearer', credentials_file: input.tokenFile } : undefined;
  const jobs: YamlMap[] = [
    { job_name: 'opsbot-bot', metrics_path: '/metrics', authorization, static_configs: [{ targets: [dialable(input.bot.host, input.bot.port)], labels: { component: 'bot' } }] },
  ];
  if (input.workers.length > 0) {
    jobs.push({ job_name: 'opsbot-workers', metrics_path: '/metrics', authorization, static_configs: [{ targets: input.workers, labels: { component: 'worker' } }] });
  }
  jobs.push(
    input.modelServers.kind === 'file_sd'
      ? { job_name: 'opsbot-model-servers', honor_labels: true, metrics_path: '/metrics', file_sd_configs: [{ files: [input.modelServers.file], refresh_interval: '30s' }] }
      : kubernetesJob(input.modelServers.namespaces),
  );
  return {
    global: { scrape_interval: interval, evaluation_interval: interval },
    rule_files: input.ruleFiles.length > 0 ? input.ruleFiles : undefined,
    scrape_configs: jobs,
  };
}

export function prometheusConfigYaml(input: ScrapeConfigInput): string {
  return toYaml(prometheusConfig(input), 'Written by `opsbot prometheus-config`: scrape configs for opsbot\'s bot, workers and model servers.');
}

export { dialable };
