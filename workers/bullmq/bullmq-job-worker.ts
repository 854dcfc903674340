import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobActionName, JobProcessor, JobWorker, Logger } from '../../core/index.js';
import type { GpuDevice } from '../../core/queue/gpu-device.js';
import { GpuPool } from '../gpu/gpu-pool.js';
import { BullmqGpuConsumer } from './bullmq-gpu-consumer.js';
import { cancelChannel, GPU_JOB_KINDS, QUEUE_KINDS } from './queue-names.js';
import { RecentIds } from './recent-ids.js';
import { runBullmqJob } from './run-bullmq-job.js';
import { WorkerAdvert } from './worker-advert.js';

const NO_GPUS: readonly number[] = [];

export interface BullmqWorkerOptions {
  /** Owned by the caller; the worker duplicates it for its blocking and subscriber connections. */
  connection: Redis;
  prefix: string;
  workerId: string;
  /** CPU jobs run at once; GPU jobs are limited by free GPUs instead. */
  concurrency: number;
  /** A killed worker's job is taken over once its lock expires and the stalled check runs. */
  lockDurationMs: number;
  stalledIntervalMs: number;
  processor: JobProcessor;
  log: Logger;
  /**
   * The job kinds (queues) this worker takes, e.g. only `train` and `evaluate` on a GPU box.
   * @defaultValue every kind
   */
  kinds?: readonly JobActionName[];
  /**
   * This worker's GPUs (see workers/gpu/discover-gpus.ts). With some, it also takes
   * jobs that need GPUs, each only when enough are free.
   * @defaultValue none: CPU jobs only
   */
  gpus?: readonly GpuDevice[];
  /**
   * How often an idle GPU worker looks for jobs that fit.
   * @defaultValue 250
   */
  gpuPollMs?: number;
}

/**
 * The consumer side on BullMQ: one Worker per job-kind queue for CPU jobs, all
 * running the same processor, plus manual fetching from the GPU queues when the
 * worker has GPUs. Payloads are validated at this edge; cancellations arrive by
 * pub/sub and abort the job's signal. The worker advertises its GPUs and running
 * jobs in Redis until it stops.
 */
export async function startBullmqWorker(options: BullmqWorkerOptions): Promise<JobWorker> {
  const { connection, prefix, log, workerId } = options;
  const kinds = options.kinds ?? QUEUE_KINDS;
  const workers: Worker[] = [];
  const blockingConnections: Redis[] = [];
  // Cancellations heard on pub/sub, so a job cancelled just before this worker picks it
  // up is stopped at once, without a Redis round trip on every job.
  const cancelled = new RecentIds(10_000);
  const runningCpuJobs = new Set<string>();
  const pool = new GpuPool(options.gpus ?? []);

  const process = async (job: Job, _token?: string, signal?: AbortSignal) => {
    const abort = new AbortController();
    signal?.addEventListener('abort', () => abort.abort(), { once: true });
    const jobId = job.id as string;
    if (cancelled.has(jobId)) abort.abort();
    runningCpuJobs.add(jobId);
    try {
      return await runBullmqJob(options, job, abort.signal, NO_GPUS);
    } finally {
      runningCpuJobs.delete(jobId);
    }
  };

  for (const kind of kinds) {
    const blocking = connection.duplicate();
    blockingConnections.push(blocking);
    const worker = new Worker(kind, process, {
      connection: blocking,
      prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: 1,
      name: workerId,
    });
    worker.on('error', (error) => log.error({ err: error, queue: kind }, 'worker error'));
    workers.push(worker);
  }

  const advert = new WorkerAdvert({
    connection,
    prefix,
    workerId,
    kinds,
    // Long enough to survive a slow heartbeat, short enough that a killed worker vanishes about when its jobs are recovered.
    ttlMs: options.lockDurationMs + options.stalledIntervalMs,
    snapshot: () => ({ gpus: pool.status(), jobIds: [...runningCpuJobs, ...(gpuConsumer?.runningJobIds() ?? [])] }),
    log,
  });

  const gpuKinds = kinds.filter((kind) => GPU_JOB_KINDS.includes(kind));
  const gpuConsumer =
    pool.size > 0 && gpuKinds.length > 0
      ? new BullmqGpuConsumer({
          connection,
          prefix,
          workerId,
          kinds: gpuKinds,
          pool,
          lockDurationMs: options.lockDurationMs,
          stalledIntervalMs: options.stalledIntervalMs,
          pollMs: options.gpuPollMs ?? 250,
          run: (job, signal, gpus) => runBullmqJob(options, job, signal, gpus),
          wasCancelled: (jobId) => cancelled.has(jobId),
          onChange: () => advert.refresh(),
          log,
        })
      : undefined;

  const subscriber = connection.duplicate();
  await subscriber.subscribe(cancelChannel(prefix));
  subscriber.on('message', (_channel: string, jobId: string) => {
    cancelled.remember(jobId);
    if (gpuConsumer?.cancel(jobId)) return;
    for (const worker of workers) worker.cancelJob(jobId, 'cancelled');
  });
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  await gpuConsumer?.start();
  await advert.start();

  return {
    id: workerId,
    async close() {
      await subscriber.quit().catch(() => subscriber.disconnect());
      await Promise.all([...workers.map((worker) => worker.close()), gpuConsumer?.close()]);
      await advert.close().catch((error: unknown) => log.warn({ err: error }, 'could not remove the worker advertisement'));
      for (const blocking of blockingConnections) blocking.disconnect();
    },
  };
}
