import { hostname } from 'node:os';
import {
  childQueuedJob,
  isPermanentFailure,
  JOB_ACTIONS,
  JobParkedError,
  NO_CHILDREN,
  PermanentJobError,
  userFacingMessage,
  type CancelOutcome,
  type ChildJobSpec,
  type ChildOutcome,
  type JobChildren,
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
import type { QueueCounts, WorkerCapacity } from '../../core/queue/queue-counts.js';
import type { WorkerStatus } from '../../core/queue/worker-status.js';
import { discoverGpus } from '../gpu/discover-gpus.js';
import { GpuPool } from '../gpu/gpu-pool.js';
import { JobSlots } from '../job-slots.js';
import { retryDelayMs, type RetryPolicy } from '../retry-policy.js';

const QUEUE_NAME = 'in-process';

export interface InProcessQueueOptions extends RetryPolicy {
  /** Jobs that need no GPU running at once, all kinds (and child jobs) together; GPU jobs are limited by free GPUs instead. */
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
  /** Times this job parked for children: its later runs are steps of the same attempt. */
  waits: number;
  /** Its children that have finished. */
  children: ChildOutcome[];
  /** Cancelled while parked or between steps: its next step runs with its signal aborted, to clean up. */
  cancelRequested: boolean;
}

const newEntry = (job: QueuedJob): Entry => ({ job, gpusNeeded: gpusRequested(job.action), attemptsStarted: 0, failedAttempts: 0, waits: 0, children: [], cancelRequested: false });

/**
 * The embedded default: jobs run in this process with the same semantics as the
 * BullMQ driver — progress events, cancellation by AbortSignal, retries with
 * exponential backoff, permanent failures never retried, a job that needs GPUs
 * started only when that many are free, each GPU held by one job at a time, and
 * parents parked (holding no slot) while their child jobs run, then run again.
 */
export class InProcessJobQueue implements JobQueue {
  private readonly waiting: Entry[] = [];
  private readonly delayed = new Map<string, { entry: Entry; timer: NodeJS.Timeout }>();
  private readonly running = new Map<string, { entry: Entry; controller: AbortController; gpus: readonly number[] }>();
  /** Parents waiting for children, with the ids of those not finished yet. */
  private readonly parked = new Map<string, { entry: Entry; pending: Set<string> }>();
  private readonly listeners = new Set<JobEventListener>();
  private readonly idleWaiters: Array<() => void> = [];
  private pool?: GpuPool;
  private discovering?: Promise<GpuPool>;
  private readonly slots: JobSlots;
  private processor?: JobProcessor;
  private workerId = '';
  private closed = false;
  /** Jobs failed for good since this process started (the queue keeps no failed jobs), for metrics. */
  private failedCount = 0;

  constructor(private readonly options: InProcessQueueOptions) {
    if (options.gpus) this.pool = new GpuPool(options.gpus);
    this.slots = new JobSlots(options.concurrency);
  }

  async enqueue(job: QueuedJob): Promise<void> {
    return this.requeue(job, 0);
  }

  /**
   * Queues a job that has already started `attemptsStarted` attempts (in a process that
   * ended): they count as failed, so its attempt numbers and retries carry on from them.
   */
  async requeue(job: QueuedJob, attemptsStarted: number): Promise<void> {
    if (this.closed) throw new Error('the in-process queue is closed');
    const gpusNeeded = gpusRequested(job.action);
    if (gpusNeeded > 0) {
      const pool = await this.gpuPool();
      if (gpusNeeded > pool.size) {
        const listed = pool.devices.map((d) => `${d.index}: ${d.name}`).join(', ');
        throw new PermanentJobError(
          `this machine has ${pool.size} GPU${pool.size === 1 ? '' : 's'}${listed ? ` (${listed})` : ''}, so a job that needs ${gpusNeeded} can never run here; ${pool.size === 0 ? 'drop --gpus' : `ask for at most ${pool.size} with --gpus`}, or run it on GPU workers (REDIS_URL and \`opsbot worker\`)`,
        );
      }
    }
    this.waiting.push({ ...newEntry(job), attemptsStarted, failedAttempts: attemptsStarted });
    this.pump();
  }

  async cancel(jobId: string): Promise<CancelOutcome> {
    const parked = this.parked.get(jobId);
    if (parked) {
      // Its children stop; the last to finish resumes it, aborted, so it cleans up after them.
      parked.entry.cancelRequested = true;
      for (const childId of [...parked.pending]) this.cancelChild(childId);
      // When every child was still waiting, the parent is back in line now.
      this.pump();
      return 'signalled';
    }
    const running = this.running.get(jobId);
    if (running) {
      running.entry.cancelRequested = true;
      running.controller.abort();
      return 'signalled';
    }
    const waiting = this.waiting.find((entry) => entry.job.jobId === jobId) ?? this.delayed.get(jobId)?.entry;
    if (waiting && waiting.waits > 0) {
      // A parent between steps has children's files to delete: its next step does that.
      waiting.cancelRequested = true;
      return 'signalled';
    }
    return this.unqueue(jobId) ? 'removed' : 'unknown';
  }

  async describe(jobId: string): Promise<JobPlacement | undefined> {
    const index = this.waiting.findIndex((entry) => entry.job.jobId === jobId);
    const waiting = this.waiting[index];
    if (waiting) return { state: 'waiting', queue: QUEUE_NAME, position: index + 1, waiting: this.waiting.length, gpusNeeded: waiting.gpusNeeded };
    const delayed = this.delayed.get(jobId);
    if (delayed) return { state: 'delayed', queue: QUEUE_NAME, gpusNeeded: delayed.entry.gpusNeeded };
    const parked = this.parked.get(jobId);
    if (parked) {
      const running = [...parked.pending].filter((id) => this.running.has(id)).length;
      const children = { running, waiting: parked.pending.size - running, finished: parked.entry.children.length };
      return { state: 'waiting-children', queue: QUEUE_NAME, gpusNeeded: parked.entry.gpusNeeded, children };
    }
    const running = this.running.get(jobId);
    if (!running) return undefined;
    return { state: 'running', queue: QUEUE_NAME, gpusNeeded: running.gpus.length, workerId: this.workerId, gpus: running.gpus };
  }

  async counts(): Promise<QueueCounts[]> {
    return [{ queue: QUEUE_NAME, waiting: this.waiting.length, active: this.running.size, failed: this.failedCount, delayed: this.delayed.size }];
  }

  /** The slots of this process's one worker; GPUs not yet discovered count as none. */
  capacity(): WorkerCapacity {
    const pool = this.pool;
    return {
      jobSlots: { size: this.slots.size, used: this.slots.used },
      gpus: { size: pool?.size ?? 0, used: pool ? pool.size - pool.free : 0 },
    };
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
    this.parked.clear();
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
    return this.slots.tryTake() ? [] : undefined;
  }

  private async run(entry: Entry, processor: JobProcessor, gpus: readonly number[]): Promise<void> {
    const { jobId, child } = entry.job;
    const controller = new AbortController();
    if (entry.cancelRequested) controller.abort();
    this.running.set(jobId, { entry, controller, gpus });
    entry.attemptsStarted += 1;
    // A child's progress shows on its parent; its other events are the parent's business.
    const reportAs = child?.parentId ?? jobId;
    if (!child) this.emit({ type: 'active', jobId });
    try {
      const result = await processor(entry.job, {
        attempt: entry.attemptsStarted - entry.waits,
        willRetryOnFailure: entry.failedAttempts + 1 < this.options.attempts,
        workerId: this.workerId,
        signal: controller.signal,
        reportProgress: async (progress) => this.emit({ type: 'progress', jobId: reportAs, progress }),
        gpus,
        children: child ? NO_CHILDREN : this.childrenOf(entry),
        ...(child ? { finishedSiblings: async () => this.parked.get(child.parentId)?.entry.children.length ?? 0 } : {}),
      });
      if (child) this.settleChild(entry.job, { key: child.key, data: child.data, result });
      else this.emit({ type: 'completed', jobId });
    } catch (error) {
      if (error instanceof JobParkedError && this.parked.has(jobId)) return;
      entry.failedAttempts += 1;
      const retry = !controller.signal.aborted && !isPermanentFailure(error) && entry.failedAttempts < this.options.attempts;
      if (retry && !this.closed) {
        const timer = setTimeout(() => {
          this.delayed.delete(jobId);
          this.waiting.push(entry);
          this.pump();
        }, retryDelayMs(this.options, entry.failedAttempts));
        this.delayed.set(jobId, { entry, timer });
      } else if (child) {
        this.settleChild(entry.job, { key: child.key, data: child.data, error: userFacingMessage(error) });
      } else {
        this.failedCount += 1;
        this.emit({ type: 'failed', jobId });
      }
    } finally {
      this.running.delete(jobId);
      if (entry.gpusNeeded === 0) this.slots.release();
      else this.pool?.release(jobId);
      const parked = this.parked.get(jobId);
      if (parked && parked.pending.size === 0) this.resume(jobId);
      this.pump();
      this.notifyIfIdle();
    }
  }

  private childrenOf(entry: Entry): JobChildren {
    return {
      resumed: entry.waits > 0,
      finished: [...entry.children],
      waitFor: async (specs) => {
        this.park(entry, specs);
        throw new JobParkedError(specs.length);
      },
    };
  }

  /** Queues a parent's children behind the jobs already waiting; it runs again once all have finished. */
  private park(entry: Entry, specs: readonly ChildJobSpec[]): void {
    entry.waits += 1;
    const pending = new Set<string>();
    // A parent cancelled mid-step queues nothing: its next step cleans up at once.
    if (!entry.cancelRequested && !this.closed) {
      for (const spec of specs) {
        if (entry.children.some((c) => c.key === spec.key)) continue;
        const child = childQueuedJob(entry.job, spec);
        pending.add(child.jobId);
        this.waiting.push(newEntry(child));
      }
    }
    this.parked.set(entry.job.jobId, { entry, pending });
  }

  private settleChild(job: QueuedJob, outcome: ChildOutcome): void {
    const parentId = job.child?.parentId ?? '';
    const parked = this.parked.get(parentId);
    if (!parked?.pending.delete(job.jobId)) return;
    parked.entry.children.push(outcome);
    if (parked.pending.size === 0 && !this.running.has(parentId)) this.resume(parentId);
  }

  private resume(parentId: string): void {
    const parked = this.parked.get(parentId);
    if (!parked) return;
    this.parked.delete(parentId);
    this.waiting.push(parked.entry);
  }

  /** Stops a parked parent's child: taken off the queue (and settled as cancelled), or aborted where it runs. */
  private cancelChild(childId: string): void {
    const running = this.running.get(childId);
    if (running) {
      running.controller.abort();
      return;
    }
    const entry = this.waiting.find((e) => e.job.jobId === childId) ?? this.delayed.get(childId)?.entry;
    const child = entry?.job.child;
    if (entry && child && this.unqueue(childId)) this.settleChild(entry.job, { key: child.key, data: child.data, error: 'cancelled before it started' });
  }

  /** Takes a job that has not started off the queue; false when it is not waiting or delayed. */
  private unqueue(jobId: string): boolean {
    const index = this.waiting.findIndex((entry) => entry.job.jobId === jobId);
    const delayed = this.delayed.get(jobId);
    if (index >= 0) this.waiting.splice(index, 1);
    else if (delayed) {
      clearTimeout(delayed.timer);
      this.delayed.delete(jobId);
    } else return false;
    this.notifyIfIdle();
    return true;
  }

  private emit(event: JobEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private isIdle(): boolean {
    return this.waiting.length === 0 && this.delayed.size === 0 && this.running.size === 0 && this.parked.size === 0;
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
