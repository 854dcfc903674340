import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../core/index.js';
import { metricsGuard, type MetricsGuardOptions } from './metrics-guard.js';
import type { OpsbotMetrics } from './opsbot-metrics.js';

export const METRICS_PATH = '/metrics';

/** GET /metrics behind the guard: the registry's text exposition, never cached. Plain node:http, so the worker's listener and the bot's express app share it. */
export function metricsHandler(metrics: OpsbotMetrics, log: Logger, guard: MetricsGuardOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const allowed = metricsGuard(guard);
  return (req, res) => {
    const access = allowed(req);
    if (!access.ok) {
      res.writeHead(access.status, { 'content-type': 'text/plain; charset=utf-8', ...(access.status === 401 ? { 'www-authenticate': 'Bearer' } : {}) });
      res.end(`${access.message}\n`);
      return;
    }
    metrics.exposition().then(
      (text) => {
        res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        log.error({ err: error }, 'could not collect metrics');
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('could not collect metrics\n');
      },
    );
  };
}
