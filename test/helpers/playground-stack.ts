import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpServer, type RunningHttpServer } from '../../app/http-server.js';
import { createOpsbotRuntime, type OpsbotRuntime } from '../../app/runtime.js';
import { LocalWorkspace, type ChatAdapter } from '../../bot/index.js';
import { createPlaygroundAdapter, resolvePlaygroundAccess, type PlaygroundAccess, type PlaygroundOptions } from '../../bot/playground/index.js';
import { defaultConfig, silentLogger, type Identity } from '../../core/index.js';
import { writeSentimentCsv } from './text-dataset.js';

export const playgroundUser: Identity = { platform: 'local', workspace: '', userId: 'alice', displayName: 'alice' };

/** The embedded default as `opsbot start` wires it: SQLite in a temp dir, in-process queue, playground on a free port. */
export interface PlaygroundStack {
  dir: string;
  url: string;
  workspace: LocalWorkspace;
  runtime: OpsbotRuntime;
  adapter: ChatAdapter;
  access: PlaygroundAccess;
  close(): Promise<void>;
}

export async function startPlaygroundStack(
  options: { datasetRows?: number; heartbeatMs?: number; remote?: boolean; peerAddress?: PlaygroundOptions['peerAddress'] } = {},
): Promise<PlaygroundStack> {
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-playground-'));
  // ~20,000 rows make a 60-epoch training run last a few seconds, so progress updates are visible.
  writeSentimentCsv(dir, options.datasetRows ?? 20_000);
  const config = defaultConfig();
  config.dataDir = join(dir, 'state');
  config.http.port = 0;
  config.jobs.backoffMs = 50;
  config.playground.remote = options.remote ?? false;
  const access = resolvePlaygroundAccess(config);
  const workspace = new LocalWorkspace();
  const runtime = await createOpsbotRuntime({ config, chat: workspace, log: silentLogger, workDir: dir });
  const adapter = createPlaygroundAdapter(
    { config, handle: (command) => runtime.dispatcher.handle(command), log: silentLogger },
    workspace,
    playgroundUser,
    { access, heartbeatMs: options.heartbeatMs, peerAddress: options.peerAddress },
  );
  let server: RunningHttpServer;
  try {
    server = await startHttpServer(config, [adapter], silentLogger);
    await adapter.start();
  } catch (error) {
    await runtime.close();
    throw error;
  }
  return {
    dir,
    url: server.url,
    workspace,
    runtime,
    adapter,
    access,
    async close() {
      await adapter.stop();
      await server.close();
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
