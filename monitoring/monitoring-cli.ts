import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { AlertRule } from '../core/config/alert-rules.schema.js';
import type { OpsbotConfig } from '../core/config/config.schema.js';
import { InvalidInputError } from '../core/errors.js';
import { readLocalFileSd } from './file-sd.js';
import { prometheusRuleFile } from './prometheus-rule-file.js';
import { ALERT_RULES_USAGE } from './cli-usage.js';
import { dialable, prometheusConfigYaml } from './scrape-config.js';

/** The rules opsbot was configured with, in order. */
export const configuredRules = (config: OpsbotConfig): AlertRule[] => config.alerts?.rules ?? [];

async function writeOrPrint(text: string, out: string | undefined, stdout: Writable, what: string, stderr: Writable): Promise<void> {
  if (!out) {
    stdout.write(text);
    return;
  }
  await mkdir(dirname(resolve(out)), { recursive: true });
  await writeFile(out, text);
  stderr.write(`wrote ${what} to ${out}\n`);
}

/** `opsbot alert-rules export [--out FILE]`. */
export async function runAlertRulesCli(config: OpsbotConfig, sub: string | undefined, options: { out?: string }, io: { stdout: Writable; stderr: Writable }): Promise<number> {
  if (sub !== 'export') throw new InvalidInputError(`alert-rules needs a subcommand: ${ALERT_RULES_USAGE.split('\n')[0]}`);
  const rules = configuredRules(config);
  if (rules.length === 0) io.stderr.write('opsbot has no alert rules (alerts.rules in opsbot.config.json, or OPSBOT_ALERT_RULES): the rule file has an empty group\n');
  await writeOrPrint(prometheusRuleFile(rules), options.out, io.stdout, `${rules.length} alert rule(s)`, io.stderr);
  return 0;
}

/**
 * The shape of the metrics settings another part of opsbot adds to the config (`metrics.token`, `metrics.workerPort`);
 * read through this view so this command does not depend on when that lands.
 */
type MetricsSettings = { token?: string; workerPort?: number; workerHost?: string };

/** `opsbot prometheus-config`: prints the Prometheus config; on the local target also writes the model servers' file_sd file. */
export async function runPrometheusConfigCli(
  config: OpsbotConfig,
  options: { out?: string; fileSd?: string; rules?: string; tokenFile?: string },
  io: { stdout: Writable; stderr: Writable },
): Promise<number> {
  const metrics = (config as unknown as { metrics?: MetricsSettings }).metrics ?? {};
  const workers = metrics.workerPort ? [dialable(metrics.workerHost ?? '127.0.0.1', metrics.workerPort)] : [];
  const tokenFile = options.tokenFile ?? (metrics.token ? '/etc/prometheus/opsbot-metrics-token' : undefined);
  let modelServers: { kind: 'file_sd'; file: string } | { kind: 'kubernetes'; namespaces: string[] };
  if (config.deploy.target === 'kubernetes') {
    const namespaces = config.deploy.kubernetes?.namespaces ?? {};
    modelServers = { kind: 'kubernetes', namespaces: [...new Set(config.environments.map((env) => namespaces[env.name] ?? `opsbot-${env.name}`))] };
  } else {
    const file = resolve(options.fileSd ?? join(config.dataDir, 'deploy', 'prometheus-file-sd.json'));
    const groups = await readLocalFileSd(config.dataDir);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(groups, null, 2)}\n`);
    io.stderr.write(`wrote ${groups.length / 2} model endpoint(s) to ${file} (file_sd); run this again after a model is first deployed to a new environment\n`);
    modelServers = { kind: 'file_sd', file };
  }
  const yaml = prometheusConfigYaml({ bot: config.http, tokenFile, workers, modelServers, ruleFiles: options.rules ? [resolve(options.rules)] : [] });
  if (tokenFile) io.stderr.write(`/metrics needs a bearer token: put OPSBOT_METRICS_TOKEN's value in ${tokenFile}, readable by Prometheus\n`);
  await writeOrPrint(yaml, options.out, io.stdout, 'the Prometheus config', io.stderr);
  return 0;
}
