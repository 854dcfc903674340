// A worker process for the GPU scheduling tests, run with `node --import tsx`. Everything
// GPU-related is production code — OPSBOT_GPUS discovery, the BullMQ consumer with its
// GPU queues, the advertisement, the external trainer — and only the job handler is
// replaced by a direct call to the fixture trainer, so a test controls how long each job
// runs and reads the CUDA_VISIBLE_DEVICES each one saw from its artifact.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { externalTrainerSchema } from '../../../../core/config/external-trainer.schema.js';
import type { Logger } from '../../../../core/index.js';
import { startBullmqWorker } from '../../../../workers/bullmq/bullmq-job-worker.js';
import { connectRedis } from '../../../../workers/bullmq/redis-connection.js';
import { runExternalTrainer } from '../../../../workers/external/run-external-trainer.js';
import { discoverGpus } from '../../../../workers/gpu/discover-gpus.js';

const env = process.env as Record<string, string>;
const trainerScript = fileURLToPath(new URL('../../../fixtures/external-trainers/metrics-trainer.mjs', import.meta.url));
const trainer = externalTrainerSchema.parse({
  command: `"${process.execPath}" "${trainerScript}" --data {dataset} --epochs {epochs} --out {artifact} --delay-ms ${env.EPOCH_MS}`,
  killGraceSeconds: 1,
  // Its artifact records which worker ran it; trainers see only what their config names.
  passEnv: ['OPSBOT_WORKER_ID'],
});
const log: Logger = {
  debug() {},
  info() {},
  warn: (details, message) => console.error('warn', message, JSON.stringify(details)),
  error: (details, message) => console.error('error', message, JSON.stringify(details)),
};

const gpus = await discoverGpus();
const connection = connectRedis(env.REDIS_URL as string);
const worker = await startBullmqWorker({
  connection,
  prefix: env.OPSBOT_QUEUE_PREFIX as string,
  workerId: env.OPSBOT_WORKER_ID as string,
  concurrency: 2,
  lockDurationMs: Number(env.OPSBOT_LOCK_DURATION_MS),
  stalledIntervalMs: Number(env.OPSBOT_STALLED_INTERVAL_MS),
  gpuPollMs: 100,
  retryPolicy: { attempts: 3, backoffMs: 100 },
  gpus: gpus.devices,
  log,
  processor: async (job, context) => {
    const args = job.action.args as { dataset: string; epochs: number };
    const { history } = await runExternalTrainer(trainer, {
      dataset: args.dataset,
      epochs: args.epochs,
      artifactPath: join(env.ARTIFACTS as string, `${job.jobId}.attempt-${context.attempt}.json`),
      gpus: context.gpus ?? [],
      signal: context.signal,
      onMetrics: ({ point, totalEpochs }) =>
        context.reportProgress({ percent: (100 * point.epoch) / totalEpochs, message: `epoch ${point.epoch}`, metrics: point }),
    });
    return { summary: `trained ${history.length} epochs` };
  },
});
console.log('opsbot worker ready');
process.once('SIGTERM', () => {
  void worker.close().then(() => {
    connection.disconnect();
  });
});
