import { actionLimitsFrom, ConfigError, type LoadedConfig } from '../core/index.js';
import { openSqliteStateStore } from '../store/index.js';
import { connectRedis, createJobRunner, newWorkerId, startBullmqWorker } from '../workers/index.js';
import { createLogger } from './logger.js';
import { databasePath } from './runtime.js';

/** `opsbot worker`: takes jobs from the BullMQ queues until SIGTERM/SIGINT, then finishes cleanly. */
export async function startWorker(loaded: LoadedConfig): Promise<void> {
  const { config } = loaded;
  if (!config.redisUrl) {
    throw new ConfigError([
      'REDIS_URL: `opsbot worker` takes jobs from Redis, so set REDIS_URL (e.g. redis://127.0.0.1:6379). Without it, `opsbot start` runs jobs in its own process.',
    ]);
  }
  const log = createLogger(config, 'stdout');
  for (const warning of loaded.warnings) log.warn({}, warning);
  const store = openSqliteStateStore(databasePath(config));
  const connection = connectRedis(config.redisUrl);
  const workerId = process.env.OPSBOT_WORKER_ID || newWorkerId();
  const worker = await startBullmqWorker({
    connection,
    prefix: config.queuePrefix,
    workerId,
    concurrency: config.jobs.concurrency,
    lockDurationMs: config.jobs.lockDurationMs,
    stalledIntervalMs: config.jobs.stalledIntervalMs,
    processor: createJobRunner({ store, dataDir: config.dataDir, workDir: process.cwd(), log, limits: actionLimitsFrom(config) }),
    log,
  });
  log.info({ workerId, queuePrefix: config.queuePrefix }, 'opsbot worker ready');

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  log.info({ workerId }, 'opsbot worker stopping; waiting for running jobs');
  await worker.close();
  connection.disconnect();
  await store.close();
}
