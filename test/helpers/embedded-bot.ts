import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpsbotRuntime, type OpsbotRuntime } from '../../app/runtime.js';
import { loadConfig, silentLogger, type Identity, type OpsbotConfig } from '../../core/index.js';
import { alice } from './fixtures.js';
import { LocalChatDriver } from './local-chat-driver.js';

/** The embedded default (in-process queue, SQLite) in a fresh directory, driven through the local chat. */
export interface EmbeddedBot {
  dir: string;
  runtime: OpsbotRuntime;
  chat: LocalChatDriver;
  /** The audit outcomes of one job, oldest first. */
  jobOutcomes(jobId: string): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startEmbeddedBot(
  options: { prepare?: (dir: string) => void; configure?: (config: OpsbotConfig) => void; env?: Record<string, string>; user?: Identity } = {},
): Promise<EmbeddedBot> {
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-embedded-'));
  options.prepare?.(dir);
  const { config } = loadConfig({ OPSBOT_DATA_DIR: join(dir, 'state'), OPSBOT_JOB_BACKOFF_MS: '50', ...options.env }, dir);
  options.configure?.(config);
  const chat = new LocalChatDriver();
  const runtime = await createOpsbotRuntime({ config, chat: chat.chat, log: silentLogger, workDir: dir });
  chat.start(options.user ?? alice, (command) => runtime.dispatcher.handle(command));
  return {
    dir,
    runtime,
    chat,
    jobOutcomes: async (jobId) => (await runtime.store.audit.query({ jobId, limit: 50 })).map((r) => r.outcome).reverse(),
    async stop() {
      await chat.end();
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
