import { Queue, Worker, type Job } from 'bullmq';
import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';
import { JobLockLostError, parentOfJobId, type JobActionName, type JobProcessor, type JobWorker, type Logger } from '../../core/index.js';
import type { GpuDevice } from '../../core/queue/gpu-device.js';
import { GpuPool } from '../gpu/gpu-pool.js';
import { JobSlots } from '../job-slots.js';
import { BullmqGpuConsumer } from './bullmq-gpu-consumer.js';
import type { RetryPolicy } from '../retry-policy.js';
import { pauseWhileFull } from './pause-while-full.js';
import { isRedisConnectionError } from './redis-unreachable.js';
import { cancelChannel, cancelledKey, childQueueName, GPU_JOB_KINDS, PARENT_JOB_KINDS, QUEUE_KINDS } from './queue-names.js';
import { runBullmqJob } from './run-bullmq-job.js';
import { WorkerAdvert } from './worker-advert.js';

const NO_GPUS: readonly number[] = [];

export interface BullmqWorkerOptions {
  /** Owned by the caller; the worker duplicates it for its blocking and subscriber connections. */
  connection: Redis;
  prefix: string;
  workerId: string;
  /**
   * Jobs that need no GPU running at once in this process, all kinds (and child jobs)
   * together, as on the in-process queue; GPU jobs are limited by free GPUs instead.
   */
  concurrency: number;
  /** A killed worker's job is taken over once its lock expires and the stalled check runs. */
  lockDurationMs: number;
  stalledIntervalMs: number;
  processor: JobProcessor;
  /** Attempts and backoff of the child jobs this worker's parents queue, as the bot's queue gives its jobs. */
  retryPolicy: RetryPolicy;
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
 * running the same processor within one set of job slots, plus manual fetching from the GPU queues when the
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
  const cancelled = new LRUCache<string, true>({ max: 10_000 });
  // Running CPU jobs and their cancellation. BullMQ's own per-job signal is not asked for
  // (the processor declares no signal parameter), so each job costs one AbortController, not two.
  const runningCpuJobs = new Map<string, AbortController>();
  // Every kind's Worker shares these, so `concurrency` caps the process, not each queue.
  const slots = new JobSlots(options.concurrency);
  const pool = new GpuPool(options.gpus ?? []);
  // Producer handles for parents adding children and children reading their parent: opened on first use.
  const producers = new Map<string, Queue>();
  const runOptions = {
    ...options,
    queue: (name: string) => {
      let queue = producers.get(name);
      if (!queue) {
        producers.set(name, (queue = new Queue(name, { connection, prefix })));
        queue.on('error', (error) => isRedisConnectionError(error) || log.error({ err: error, queue: name }, 'queue error'));
      }
      return queue;
    },
  };
  // Parents and their children are checked against a cancellation stored in Redis too:
  // they run long after the cancel was published. Other jobs skip that round trip.
  const parentKinds = kinds.filter((kind) => PARENT_JOB_KINDS.includes(kind));
  const storedCancelFor = new Set<string>([...parentKinds, ...parentKinds.map(childQueueName)]);
  const heardCancel = (jobId: string): boolean => {
    const parentId = parentOfJobId(jobId);
    return cancelled.has(jobId) || (parentId !== undefined && cancelled.has(parentId));
  };
  const storedCancel = async (jobId: string): Promise<boolean> => (await connection.exists(cancelledKey(prefix, parentOfJobId(jobId) ?? jobId))) > 0;

  const advert = new WorkerAdvert({
    connection,
    prefix,
    workerId,
    kinds,
    // Long enough to survive a slow heartbeat, short enough that a killed worker vanishes about when its jobs are recovered.
    ttlMs: options.lockDurationMs + options.stalledIntervalMs,
    snapshot: () => ({ gpus: pool.status(), jobIds: [...runningCpuJobs.keys(), ...(gpuConsumer?.runningJobIds() ?? [])] }),
    log,
  });

  const process = async (job: Job, token?: string) => {
    const jobId = job.id as string;
    await slots.take();
    const abort = new AbortController();
    runningCpuJobs.set(jobId, abort);
    advert.refreshSoon();
    try {
      // Most jobs need no Redis round trip (nor an await) to learn they were not cancelled.
      if (heardCancel(jobId) || (storedCancelFor.has(job.queueName) && (await storedCancel(jobId)))) abort.abort();
      return await runBullmqJob(runOptions, job, token ?? '', abort.signal, NO_GPUS);
    } finally {
      // A job whose lock this attempt lost may already run again here, under a new controller.
      if (runningCpuJobs.get(jobId) === abort) runningCpuJobs.delete(jobId);
      slots.release();
      advert.refreshSoon();
    }
  };

  for (const kind of [...kinds, ...parentKinds.map(childQueueName)]) {
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
    // An unreachable Redis is reported by the connection, once per attempt, not by every queue.
    worker.on('error', (error) => isRedisConnectionError(error) || log.error({ err: error, queue: kind }, 'worker error'));
    // Fenced: the stalled check may already have handed the job to another worker, so this attempt stops and commits nothing.
    worker.on('lockRenewalFailed', (jobIds: string[]) => {
      for (const jobId of jobIds) runningCpuJobs.get(jobId)?.abort(new JobLockLostError());
    });
    workers.push(worker);
  }
  // A lone Worker's own concurrency already is the cap; pausing is for Workers that share the slots
  // (and would cost a lone one a pause and a resume around every job: half its throughput at concurrency 1).
  const stopPausing = workers.length > 1 ? pauseWhileFull(slots, workers, log) : () => undefined;

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
          run: (job, token, signal, gpus) => runBullmqJob(runOptions, job, token, signal, gpus),
          wasCancelled: (jobId) => cancelled.has(jobId),
          onChange: () => advert.refresh(),
          log,
        })
      : undefined;

  const subscriber = connection.duplicate();
  await subscriber.subscribe(cancelChannel(prefix));
  subscriber.on('message', (_channel: string, jobId: string) => {
    cancelled.set(jobId, true);
    runningCpuJobs.get(jobId)?.abort();
    gpuConsumer?.cancel(jobId);
  });
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  await gpuConsumer?.start();
  await advert.start();

  return {
    id: workerId,
    capacity: () => ({ jobSlots: { size: slots.size, used: slots.used }, gpus: { size: pool.size, used: pool.size - pool.free } }),
    async close() {
      stopPausing();
      await subscriber.quit().catch(() => subscriber.disconnect());
      await Promise.all([...workers.map((worker) => worker.close()), gpuConsumer?.close()]);
      await advert.close().catch((error: unknown) => log.warn({ err: error }, 'could not remove the worker advertisement'));
      await Promise.all([...producers.values()].map((queue) => queue.close()));
      for (const blocking of blockingConnections) blocking.disconnect();
    },
  };
}
