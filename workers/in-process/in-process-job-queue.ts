import { hostname } from 'node:os';
import {
  isPermanentFailure,
  JOB_ACTIONS,
  PermanentJobError,
  type CancelOutcome,
  type JobEvent,
  type JobEventListener,
  type JobProcessor,
  type JobQueue,
  type JobWorker,
  type QueuedJob,
} from '../../core/index.js';
import type { GpuDevice } from '../../core/queue/gpu-device.js';
import { gpusRequested } from '../../core/queue/gpus-requested.js';
import type { JobPlacement } from '../../core/queue/job-placement.js';
import type { WorkerStatus } from '../../core/queue/worker-status.js';
import { discoverGpus } from '../gpu/discover-gpus.js';
import { GpuPool } from '../gpu/gpu-pool.js';
import { retryDelayMs, type RetryPolicy } from '../retry-policy.js';

const QUEUE_NAME = 'in-process';

export interface InProcessQueueOptions extends RetryPolicy {
  /** CPU jobs run at once; GPU jobs are limited by free GPUs instead. */
  concurrency: number;
  /**
   * This machine's GPUs.
   * @defaultValue discovered (OPSBOT_GPUS, else nvidia-smi) when the first job that needs GPUs arrives
   */
  gpus?: readonly GpuDevice[];
}

interface Entry {
  job: QueuedJob;
  gpusNeeded: number;
  attemptsStarted: number;
  failedAttempts: number;
}

/**
 * The embedded default: jobs run in this process with the same semantics as the
 * BullMQ driver — progress events, cancellation by AbortSignal, retries with
 * exponential backoff, permanent failures never retried, and a job that needs GPUs
 * started only when that many are free, each GPU held by one job at a time.
 */
export class InProcessJobQueue implements JobQueue {
  private readonly waiting: Entry[] = [];
  private readonly delayed = new Map<string, { entry: Entry; timer: NodeJS.Timeout }>();
  private readonly running = new Map<string, { controller: AbortController; gpus: readonly number[] }>();
  private readonly listeners = new Set<JobEventListener>();
  private readonly idleWaiters: Array<() => void> = [];
  private pool?: GpuPool;
  private discovering?: Promise<GpuPool>;
  private runningCpuJobs = 0;
  private processor?: JobProcessor;
  private workerId = '';
  private closed = false;

  constructor(private readonly options: InProcessQueueOptions) {
    if (options.gpus) this.pool = new GpuPool(options.gpus);
  }

  async enqueue(job: QueuedJob): Promise<void> {
    if (this.closed) throw new Error('the in-process queue is closed');
    const gpusNeeded = gpusRequested(job.action);
    if (gpusNeeded > 0) {
      const pool = await this.gpuPool();
      if (gpusNeeded > pool.size) {
        const listed = pool.devices.map((d) => `${d.index}: ${d.name}`).join(', ');
        throw new PermanentJobError(
          `this machine has ${pool.size} GPU${pool.size === 1 ? '' : 's'}${listed ? ` (${listed})` : ''}, so a job that needs ${gpusNeeded} can never run here; ask for at most ${pool.size} with --gpus, or run it on GPU workers (REDIS_URL and \`opsbot worker\`)`,
        );
      }
    }
    this.waiting.push({ job, gpusNeeded, attemptsStarted: 0, failedAttempts: 0 });
    this.pump();
  }

  async cancel(jobId: string): Promise<CancelOutcome> {
    const index = this.waiting.findIndex((entry) => entry.job.jobId === jobId);
    if (index >= 0) {
      this.waiting.splice(index, 1);
      this.notifyIfIdle();
      return 'removed';
    }
    const delayed = this.delayed.get(jobId);
    if (delayed) {
      clearTimeout(delayed.timer);
      this.delayed.delete(jobId);
      this.notifyIfIdle();
      return 'removed';
    }
    const running = this.running.get(jobId);
    if (running) {
      running.controller.abort();
      return 'signalled';
    }
    return 'unknown';
  }

  async describe(jobId: string): Promise<JobPlacement | undefined> {
    const index = this.waiting.findIndex((entry) => entry.job.jobId === jobId);
    const waiting = this.waiting[index];
    if (waiting) return { state: 'waiting', queue: QUEUE_NAME, position: index + 1, waiting: this.waiting.length, gpusNeeded: waiting.gpusNeeded };
    const delayed = this.delayed.get(jobId);
    if (delayed) return { state: 'delayed', queue: QUEUE_NAME, gpusNeeded: delayed.entry.gpusNeeded };
    const running = this.running.get(jobId);
    if (!running) return undefined;
    return { state: 'running', queue: QUEUE_NAME, gpusNeeded: running.gpus.length, workerId: this.workerId, gpus: running.gpus };
  }

  async workers(): Promise<WorkerStatus[]> {
    if (!this.processor || this.closed) return [];
    const pool = await this.gpuPool();
    return [
      {
        workerId: this.workerId,
        host: hostname(),
        kinds: JOB_ACTIONS,
        gpus: pool.status(),
        jobIds: [...this.running.keys()],
        seenAt: new Date().toISOString(),
      },
    ];
  }

  onEvent(listener: JobEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts running jobs in this process; there is one processor per queue. */
  startWorker(processor: JobProcessor, workerId = `in-process-${process.pid}`): JobWorker {
    this.processor = processor;
    this.workerId = workerId;
    this.pump();
    return { id: workerId, close: async () => this.close() };
  }

  /** Resolves when nothing is waiting, delayed or running. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.waiting.length = 0;
    for (const { controller } of this.running.values()) controller.abort();
    await this.whenIdle();
  }

  private gpuPool(): Promise<GpuPool> {
    if (this.pool) return Promise.resolve(this.pool);
    this.discovering ??= discoverGpus().then(
      ({ devices }) => (this.pool = new GpuPool(devices)),
      (error: unknown) => {
        this.discovering = undefined;
        throw error;
      },
    );
    return this.discovering;
  }

  /** Starts every waiting job that can run now, oldest first: CPU jobs up to the concurrency, GPU jobs when enough GPUs are free. */
  private pump(): void {
    const processor = this.processor;
    if (!processor) return;
    for (let i = 0; i < this.waiting.length && !this.closed; ) {
      const entry = this.waiting[i] as Entry;
      const gpus = entry.gpusNeeded === 0 ? this.cpuSlot() : this.pool?.take(entry.job.jobId, entry.gpusNeeded);
      if (!gpus) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      void this.run(entry, processor, gpus);
    }
  }

  private cpuSlot(): number[] | undefined {
    return this.runningCpuJobs < this.options.concurrency ? [] : undefined;
  }

  private async run(entry: Entry, processor: JobProcessor, gpus: readonly number[]): Promise<void> {
    const { jobId } = entry.job;
    const controller = new AbortController();
    this.running.set(jobId, { controller, gpus });
    if (entry.gpusNeeded === 0) this.runningCpuJobs += 1;
    entry.attemptsStarted += 1;
    this.emit({ type: 'active', jobId });
    try {
      await processor(entry.job, {
        attempt: entry.attemptsStarted,
        willRetryOnFailure: entry.failedAttempts + 1 < this.options.attempts,
        workerId: this.workerId,
        signal: controller.signal,
        reportProgress: async (progress) => this.emit({ type: 'progress', jobId, progress }),
        gpus,
      });
      this.emit({ type: 'completed', jobId });
    } catch (error) {
      entry.failedAttempts += 1;
      const retry = !controller.signal.aborted && !isPermanentFailure(error) && entry.failedAttempts < this.options.attempts;
      if (retry && !this.closed) {
        const timer = setTimeout(() => {
          this.delayed.delete(jobId);
          this.waiting.push(entry);
          this.pump();
        }, retryDelayMs(this.options, entry.failedAttempts));
        this.delayed.set(jobId, { entry, timer });
      } else {
        this.emit({ type: 'failed', jobId });
      }
    } finally {
      this.running.delete(jobId);
      if (entry.gpusNeeded === 0) this.runningCpuJobs -= 1;
      else this.pool?.release(jobId);
      this.pump();
      this.notifyIfIdle();
    }
  }

  private emit(event: JobEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private isIdle(): boolean {
    return this.waiting.length === 0 && this.delayed.size === 0 && this.running.size === 0;
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
