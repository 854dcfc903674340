import { randomUUID } from 'node:crypto';
import { WaitingChildrenError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { JobLockLostError, type JobActionName, type JobResult, type Logger } from '../../core/index.js';
import type { GpuPool } from '../gpu/gpu-pool.js';
import { gpuQueueName } from './queue-names.js';
import { isRedisConnectionError } from './redis-unreachable.js';

export interface BullmqGpuConsumerOptions {
  /** Owned by the caller; the consumer duplicates it for its own commands. */
  connection: Redis;
  prefix: string;
  workerId: string;
  /** GPU job kinds this worker takes. */
  kinds: readonly JobActionName[];
  pool: GpuPool;
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** How long to wait before looking again when no job fitted; a freed GPU looks at once. */
  pollMs: number;
  run(job: Job, token: string, signal: AbortSignal, gpus: readonly number[]): Promise<JobResult>;
  /** Whether a cancellation for this job id was heard before it was taken. */
  wasCancelled(jobId: string): boolean;
  /** A GPU was taken or freed: the worker's advertisement is stale. */
  onChange(): void;
  log: Logger;
}

interface RunningJob {
  job: Job;
  token: string;
  worker: Worker;
  abort: AbortController;
}

/**
 * Takes GPU jobs from the `<kind>-gpu-N` queues by manual fetching: a job is taken
 * only from a queue whose N GPUs are free right now, largest N first (big jobs are
 * the hardest to place), and its GPUs are held until it is moved to completed or
 * failed. BullMQ's own loop is not used because it takes a job before knowing
 * whether it fits. Locks are renewed here; each queue's stalled check runs here
 * too, so a killed worker's GPU job goes back to its queue for another worker.
 */
export class BullmqGpuConsumer {
  private readonly queuesBySize = new Map<number, Worker[]>();
  private readonly running = new Map<string, RunningJob>();
  private readonly inFlight = new Set<Promise<void>>();
  private commands?: Redis;
  private lockTimer?: NodeJS.Timeout;
  private loop?: Promise<void>;
  private wakeIdle?: () => void;
  /** Set when a GPU is freed, so a look that just missed it is followed by another at once. */
  private nudged = false;
  private closing = false;

  constructor(private readonly options: BullmqGpuConsumerOptions) {}

  async start(): Promise<void> {
    const { prefix, workerId, lockDurationMs, stalledIntervalMs, pool, kinds, log } = this.options;
    const commands = this.options.connection.duplicate();
    this.commands = commands;
    for (let gpus = 1; gpus <= pool.size; gpus++) {
      const workers = kinds.map((kind) => {
        const worker = new Worker(gpuQueueName(kind, gpus), null, {
          connection: commands,
          prefix,
          autorun: false,
          lockDuration: lockDurationMs,
          stalledInterval: stalledIntervalMs,
          maxStalledCount: 1,
          name: workerId,
        });
        worker.on('error', (error) => isRedisConnectionError(error) || log.error({ err: error, queue: worker.name }, 'GPU queue error'));
        return worker;
      });
      this.queuesBySize.set(gpus, workers);
    }
    const all = this.allQueues();
    await Promise.all(all.map((worker) => worker.waitUntilReady()));
    await Promise.all(all.map((worker) => worker.startStalledCheckTimer()));
    this.lockTimer = setInterval(() => void this.extendLocks(), Math.max(100, Math.floor(lockDurationMs / 2)));
    this.loop = this.fetchLoop();
  }

  /** Aborts a GPU job this worker runs; a job taken later is checked against wasCancelled. */
  cancel(jobId: string): void {
    this.running.get(jobId)?.abort.abort();
  }

  runningJobIds(): string[] {
    return [...this.running.keys()];
  }

  /** Stops taking jobs, waits for running ones, then closes the queues. */
  async close(): Promise<void> {
    this.closing = true;
    this.nudge();
    await this.loop;
    await Promise.all(this.inFlight);
    clearInterval(this.lockTimer);
    await Promise.all(this.allQueues().map((worker) => worker.close()));
    this.commands?.disconnect();
  }

  private allQueues(): Worker[] {
    return [...this.queuesBySize.values()].flat();
  }

  private async fetchLoop(): Promise<void> {
    while (!this.closing) {
      this.nudged = false;
      let took = false;
      try {
        took = await this.takeOne();
      } catch (error) {
        this.options.log.error({ err: error }, 'could not take a GPU job; trying again shortly');
      }
      if (!took && !this.nudged) await this.idle();
    }
  }

  /** Waits for the poll interval, or less if a GPU is freed (or the consumer closes) meanwhile. */
  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeIdle = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.options.pollMs);
      this.wakeIdle = done;
    });
  }

  private nudge(): void {
    this.nudged = true;
    this.wakeIdle?.();
  }

  /** Only this loop takes GPUs, so those free when a queue is asked are still free when its job arrives. */
  private async takeOne(): Promise<boolean> {
    const { pool, workerId } = this.options;
    for (let gpus = pool.free; gpus >= 1; gpus--) {
      for (const worker of this.queuesBySize.get(gpus) ?? []) {
        if (this.closing) return false;
        const token = `${workerId}:${randomUUID()}`;
        const job = await worker.getNextJob(token, { block: false });
        if (!job?.id) continue;
        this.begin(job, job.id, token, worker, pool.take(job.id, gpus) as number[]);
        return true;
      }
    }
    return false;
  }

  private begin(job: Job, jobId: string, token: string, worker: Worker, gpus: number[]): void {
    const abort = new AbortController();
    if (this.options.wasCancelled(jobId)) abort.abort();
    this.running.set(jobId, { job, token, worker, abort });
    this.options.onChange();
    const done = this.process(job, token, abort.signal, gpus).finally(() => {
      this.options.pool.release(jobId);
      // A job whose lock this attempt lost may already run again here, as another entry.
      if (this.running.get(jobId)?.token === token) this.running.delete(jobId);
      this.inFlight.delete(done);
      this.options.onChange();
      this.nudge();
    });
    this.inFlight.add(done);
  }

  private async process(job: Job, token: string, signal: AbortSignal, gpus: readonly number[]): Promise<void> {
    let outcome: { result: JobResult } | { error: Error };
    try {
      outcome = { result: await this.options.run(job, token, signal, gpus) };
    } catch (error) {
      // A parent that parked has already moved itself to waiting-children.
      if (error instanceof WaitingChildrenError) return;
      outcome = { error: error instanceof Error ? error : new Error(String(error)) };
    }
    try {
      // BullMQ applies the job's attempts and backoff here, as its own loop would.
      if ('result' in outcome) await job.moveToCompleted(outcome.result, token, false);
      else await job.moveToFailed(outcome.error, token, false);
    } catch (error) {
      this.options.log.error({ err: error, jobId: job.id }, 'could not record a GPU job outcome in Redis; the stalled check will hand the job out again');
    }
  }

  private async extendLocks(): Promise<void> {
    const byQueue = new Map<Worker, RunningJob[]>();
    for (const running of this.running.values()) byQueue.set(running.worker, [...(byQueue.get(running.worker) ?? []), running]);
    for (const [worker, jobs] of byQueue) {
      try {
        const lost = await worker.extendJobLocks(
          jobs.map((r) => r.job.id as string),
          jobs.map((r) => r.token),
          this.options.lockDurationMs,
        );
        if (lost.length > 0) {
          this.options.log.error({ jobIds: lost }, 'lost the lock of running GPU jobs; stopping them, another worker may take them over');
          for (const jobId of lost) jobs.find((r) => r.job.id === jobId)?.abort.abort(new JobLockLostError());
        }
      } catch (error) {
        this.options.log.error({ err: error }, 'could not renew GPU job locks');
      }
    }
  }
}
