import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, type Logger } from '../../core/index.js';
import { metricsHandler, METRICS_PATH } from './metrics-handler.js';
import type { OpsbotMetrics } from './opsbot-metrics.js';

export interface RunningMetricsServer {
  /** e.g. http://127.0.0.1:9464/metrics */
  url: string;
  close(): Promise<void>;
}

/**
 * `opsbot worker` has no HTTP server of its own, so its /metrics get a small listener:
 * on OPSBOT_WORKER_METRICS_PORT, bound to loopback unless OPSBOT_WORKER_METRICS_HOST says
 * otherwise (then scrapes need OPSBOT_METRICS_TOKEN, as on the bot). Nothing else is served.
 */
export async function startWorkerMetricsServer(options: { metrics: OpsbotMetrics; port: number; host: string; token?: string; log: Logger }): Promise<RunningMetricsServer> {
  const { log, host } = options;
  const handle = metricsHandler(options.metrics, log, { token: options.token });
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== METRICS_PATH || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('only GET /metrics is served here\n');
      return;
    }
    handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new ConfigError([`OPSBOT_WORKER_METRICS_PORT: ${host}:${options.port} is already in use; pick a free port for this worker's metrics`]) : error),
    );
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}${METRICS_PATH}`;
  log.info({ url }, 'worker metrics listening');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
