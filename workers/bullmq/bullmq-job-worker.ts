import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  isPermanentFailure,
  queuedJobSchema,
  type JobActionName,
  type JobProcessor,
  type JobWorker,
  type Logger,
  type QueuedJob,
} from '../../core/index.js';
import { cancelChannel, QUEUE_KINDS } from './queue-names.js';
import { RecentIds } from './recent-ids.js';

export interface BullmqWorkerOptions {
  /** Owned by the caller; the worker duplicates it for its blocking and subscriber connections. */
  connection: Redis;
  prefix: string;
  workerId: string;
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
}

/**
 * The consumer side on BullMQ: one Worker per job-kind queue, all running the same
 * processor. Payloads are validated at this edge; cancellations arrive by pub/sub
 * and abort the job's signal.
 */
export async function startBullmqWorker(options: BullmqWorkerOptions): Promise<JobWorker> {
  const { connection, prefix, log } = options;
  const workers: Worker[] = [];
  const blockingConnections: Redis[] = [];
  // Cancellations heard on pub/sub, so a job cancelled just before this worker picks it
  // up is stopped at once, without a Redis round trip on every job.
  const cancelled = new RecentIds(10_000);

  const process = async (job: Job, _token?: string, signal?: AbortSignal) => {
    const parsed = queuedJobSchema.safeParse(job.data);
    if (!parsed.success) {
      log.error({ jobId: job.id, issues: parsed.error.issues }, 'rejected a malformed job payload');
      throw new UnrecoverableError(`malformed job payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    }
    const abort = new AbortController();
    signal?.addEventListener('abort', () => abort.abort(), { once: true });
    if (cancelled.has(parsed.data.jobId)) abort.abort();
    try {
      return await options.processor(parsed.data as QueuedJob, {
        attempt: job.attemptsStarted,
        willRetryOnFailure: job.attemptsMade + 1 < (job.opts.attempts ?? 1),
        workerId: options.workerId,
        signal: abort.signal,
        reportProgress: (progress) => job.updateProgress(progress),
      });
    } catch (error) {
      if (isPermanentFailure(error) || abort.signal.aborted) {
        throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
      }
      throw error;
    }
  };

  for (const kind of options.kinds ?? QUEUE_KINDS) {
    const blocking = connection.duplicate();
    blockingConnections.push(blocking);
    const worker = new Worker(kind, process, {
      connection: blocking,
      prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: 1,
      name: options.workerId,
    });
    worker.on('error', (error) => log.error({ err: error, queue: kind }, 'worker error'));
    workers.push(worker);
  }

  const subscriber = connection.duplicate();
  await subscriber.subscribe(cancelChannel(prefix));
  subscriber.on('message', (_channel: string, jobId: string) => {
    cancelled.remember(jobId);
    for (const worker of workers) worker.cancelJob(jobId, 'cancelled');
  });
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));

  return {
    id: options.workerId,
    async close() {
      await subscriber.quit().catch(() => subscriber.disconnect());
      await Promise.all(workers.map((worker) => worker.close()));
      for (const blocking of blockingConnections) blocking.disconnect();
    },
  };
}
