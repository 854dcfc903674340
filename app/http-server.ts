import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { ChatAdapter } from '../bot/index.js';
import { ConfigError, type Logger, type OpsbotConfig } from '../core/index.js';
import { mountHealthRoutes, type ReadinessCheck } from './health/index.js';
import { ackTiming, metricsHandler, METRICS_PATH, type MetricsGuardOptions, type OpsbotMetrics } from './metrics/index.js';

export interface RunningHttpServer {
  server: Server;
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  close(): Promise<void>;
}

/**
 * One HTTP server for every adapter's routes (Slack events, Teams messages, playground), with
 * /healthz (liveness) and /readyz (the `readiness` checks).
 * With `fallbackToFreePort`, a taken default port is swapped for a free one, so a second
 * local `npm start` still works; an explicitly configured port is never changed.
 */
export async function startHttpServer(
  config: OpsbotConfig,
  adapters: readonly ChatAdapter[],
  log: Logger,
  options: {
    fallbackToFreePort?: boolean;
    readiness?: readonly ReadinessCheck[];
    routes?: (app: express.Express) => void;
    /** Serves GET /metrics (loopback only, or with OPSBOT_METRICS_TOKEN) and times Slack/Teams acks. */
    metrics?: OpsbotMetrics;
    /** Tests stand in for a remote peer here. */
    metricsPeerAddress?: MetricsGuardOptions['peerAddress'];
  } = {},
): Promise<RunningHttpServer> {
  const app = express();
  app.disable('x-powered-by');
  mountHealthRoutes(app, { checks: options.readiness ?? [] });
  if (options.metrics) {
    // Before the adapters' routes, so the clock starts when the request arrives.
    app.use(ackTiming(options.metrics));
    const handler = metricsHandler(options.metrics, log, { token: config.metrics?.token, peerAddress: options.metricsPeerAddress });
    app.get(METRICS_PATH, (req, res) => handler(req, res));
  }
  for (const adapter of adapters) adapter.mount(app);
  options.routes?.(app);
  const server = createServer(app);
  try {
    await listen(server, config.http.port, config.http.host);
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    if (!inUse) throw error;
    if (!options.fallbackToFreePort) {
      throw new ConfigError([`PORT: ${config.http.host}:${config.http.port} is already in use; stop what uses it or set PORT to a free port`]);
    }
    log.warn({ port: config.http.port }, 'default port in use; listening on a free port instead');
    await listen(server, 0, config.http.host);
  }
  const { port } = server.address() as AddressInfo;
  const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
  const url = `http://${host}:${port}`;
  log.info({ url }, 'HTTP server listening');
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
