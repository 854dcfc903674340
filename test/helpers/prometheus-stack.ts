import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually } from './eventually.js';
import { freePort } from './free-port.js';

export { freePort };

/**
 * The real Prometheus, promtool and Alertmanager (Debian's `prometheus` and `prometheus-alertmanager`), started for a
 * test on free loopback ports with their own storage in the test's directory. Nothing here starts them as services.
 */
export const PROMETHEUS = ['/usr/bin/prometheus', '/usr/local/bin/prometheus'].find((path) => existsSync(path));
export const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((path) => existsSync(path));
export const ALERTMANAGER = ['/usr/bin/prometheus-alertmanager', '/usr/local/bin/alertmanager'].find((path) => existsSync(path));
export const AMTOOL = ['/usr/bin/amtool', '/usr/local/bin/amtool'].find((path) => existsSync(path));

const run = promisify(execFile);


/** A tool's exit status and everything it said (stdout then stderr); never throws on a non-zero exit. */
export async function runTool(tool: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(tool, args, { cwd, timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** `promtool <args>` in `cwd`. */
export function promtool(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  if (!PROMTOOL) throw new Error('promtool is not installed (apt-get install -y prometheus)');
  return runTool(PROMTOOL, args, cwd);
}

export interface RunningServer {
  url: string;
  /** The last few kilobytes it logged, for a failure's message. */
  log(): string;
  /** SIGTERM, then SIGKILL if it has not exited within a few seconds; resolves once it has exited. */
  stop(): Promise<void>;
}

/** Spawns `binary`, keeping its recent output, and waits until `readyPath` answers 200. */
async function startServer(what: string, binary: string, args: string[], url: string, readyPath: string): Promise<RunningServer> {
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exit;
    clearTimeout(killer);
  };
  try {
    await eventually(`${what} to be ready`, async () => {
      if (exited) throw new Error(`${what} exited at start:\n${output}`);
      return (await fetch(`${url}${readyPath}`).catch(() => undefined))?.ok;
    }, 30_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${what} said:\n${output}`);
  }
  return { url, log: () => output, stop };
}

export interface AlertmanagerOptions {
  /** Its storage and config go here. */
  dir: string;
  /** The webhook receiver, e.g. opsbot's `/alerts/alertmanager`. */
  receiverUrl: string;
  /** Sent as `Authorization: Bearer <token>` (`http_config.authorization.credentials`). */
  token: string;
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  /** When the caller needed the address first (to configure opsbot with it); a free one otherwise. */
  port?: number;
}

/**
 * Alertmanager with one route to one webhook receiver (`send_resolved: true`), its config checked by amtool first,
 * gossip off (`--cluster.listen-address=`).
 */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<RunningServer> {
  if (!ALERTMANAGER) throw new Error('Alertmanager is not installed (apt-get install -y prometheus-alertmanager)');
  const port = options.port ?? (await freePort());
  const configFile = join(options.dir, 'alertmanager.yml');
  writeFileSync(
    configFile,
    [
      'route:',
      '  receiver: opsbot',
      `  group_by: [${(options.groupBy ?? ['alertname', 'model', 'env']).map((l) => `'${l}'`).join(', ')}]`,
      `  group_wait: ${options.groupWait ?? '1s'}`,
      `  group_interval: ${options.groupInterval ?? '2s'}`,
      `  repeat_interval: ${options.repeatInterval ?? '1h'}`,
      'receivers:',
      '  - name: opsbot',
      '    webhook_configs:',
      `      - url: ${options.receiverUrl}`,
      '        send_resolved: true',
      '        http_config:',
      '          authorization:',
      '            type: Bearer',
      `            credentials: ${options.token}`,
      '',
    ].join('\n'),
  );
  if (AMTOOL) {
    const checked = await runTool(AMTOOL, ['check-config', configFile], options.dir);
    if (checked.code !== 0) throw new Error(`amtool refused the Alertmanager config:\n${checked.output}`);
  }
  const url = `http://127.0.0.1:${port}`;
  return startServer(
    'Alertmanager',
    ALERTMANAGER,
    [`--config.file=${configFile}`, `--storage.path=${join(options.dir, 'alertmanager-data')}`, `--web.listen-address=127.0.0.1:${port}`, `--web.external-url=${url}`, '--cluster.listen-address='],
    url,
    '/-/ready',
  );
}

/**
 * Prometheus on `configFile` (checked by `promtool check config` first), its TSDB in `dir`. Alerts are resent every
 * second (`--rules.alert.resend-delay=1s`): Prometheus drops a notification sent before it has discovered
 * Alertmanager and would otherwise wait a minute to send it again.
 */
export async function startPrometheus(options: { dir: string; configFile: string }): Promise<RunningServer> {
  if (!PROMETHEUS) throw new Error('Prometheus is not installed (apt-get install -y prometheus)');
  if (PROMTOOL) {
    const checked = await promtool(['check', 'config', options.configFile], options.dir);
    if (checked.code !== 0) throw new Error(`promtool refused the Prometheus config:\n${checked.output}`);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  return startServer(
    'Prometheus',
    PROMETHEUS,
    [
      `--config.file=${options.configFile}`,
      `--storage.tsdb.path=${join(options.dir, 'prometheus-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // Alerts' generatorURL links point here rather than at this machine's hostname.
      `--web.external-url=${url}`,
      '--rules.alert.resend-delay=1s',
      '--log.level=warn',
    ],
    url,
    '/-/ready',
  );
}

/** One instant query through Prometheus's HTTP API: each series' labels and value. */
export async function prometheusQuery(url: string, query: string): Promise<Array<{ metric: Record<string, string>; value: number }>> {
  const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await response.json()) as { status: string; error?: string; data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  if (body.status !== 'success') throw new Error(`Prometheus refused ${query}: ${body.error}`);
  return (body.data?.result ?? []).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}
