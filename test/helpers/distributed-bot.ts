import { join } from 'node:path';
import { startEmbeddedBot, type EmbeddedBot } from './embedded-bot.js';
import { OpsbotProcess } from './opsbot-process.js';
import { deleteKeys, REDIS_URL, uniquePrefix } from './redis.js';

/** The bot on BullMQ (REDIS_URL) in a fresh directory and Redis prefix, with `opsbot worker` processes started on demand. */
export interface DistributedBot extends EmbeddedBot {
  /** What the bot and its workers run with. */
  env: Record<string, string>;
  /** Starts a worker process (with extra variables such as OPSBOT_GPUS) and waits until it is ready. */
  startWorker(workerId: string, env?: Record<string, string>): Promise<OpsbotProcess>;
}

export async function startDistributedBot(options: { env?: Record<string, string>; prepare?: (dir: string) => void } = {}): Promise<DistributedBot> {
  const env = {
    REDIS_URL,
    OPSBOT_QUEUE_PREFIX: uniquePrefix('e2e'),
    // Short locks, so a killed worker's job is taken over within seconds.
    OPSBOT_LOCK_DURATION_MS: '1500',
    OPSBOT_STALLED_INTERVAL_MS: '1000',
    OPSBOT_JOB_BACKOFF_MS: '100',
    OPSBOT_LOG_LEVEL: 'info',
    ...options.env,
  };
  const bot = await startEmbeddedBot({ env, ...(options.prepare ? { prepare: options.prepare } : {}) });
  const shared = { ...env, OPSBOT_DATA_DIR: join(bot.dir, 'state') };
  const workers: OpsbotProcess[] = [];
  return {
    ...bot,
    env: shared,
    async startWorker(workerId, extra = {}) {
      const worker = await OpsbotProcess.worker(bot.dir, { ...shared, ...extra }, workerId);
      workers.push(worker);
      return worker;
    },
    async stop() {
      await Promise.all(workers.splice(0).map((worker) => worker.stop('SIGKILL')));
      await bot.stop();
      await deleteKeys(env.OPSBOT_QUEUE_PREFIX);
    },
  };
}
