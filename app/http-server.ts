import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { ChatAdapter } from '../bot/index.js';
import type { Logger, OpsbotConfig } from '../core/index.js';

export interface RunningHttpServer {
  server: Server;
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  close(): Promise<void>;
}

/** One HTTP server for every adapter's routes (Slack events, Teams messages, playground). */
export async function startHttpServer(config: OpsbotConfig, adapters: readonly ChatAdapter[], log: Logger): Promise<RunningHttpServer> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  for (const adapter of adapters) adapter.mount(app);
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, () => resolve());
  });
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
