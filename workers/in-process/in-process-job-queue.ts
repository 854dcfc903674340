import {
  isPermanentFailure,
  type CancelOutcome,
  type JobEvent,
  type JobEventListener,
  type JobProcessor,
  type JobQueue,
  type JobWorker,
  type QueuedJob,
} from '../../core/index.js';
import { retryDelayMs, type RetryPolicy } from '../retry-policy.js';

interface Entry {
  job: QueuedJob;
  attemptsStarted: number;
  failedAttempts: number;
}

/**
 * The embedded default: jobs run in this process with the same semantics as the
 * BullMQ driver — progress events, cancellation by AbortSignal, retries with
 * exponential backoff, permanent failures never retried.
 */
export class InProcessJobQueue implements JobQueue {
  private readonly waiting: Entry[] = [];
  private readonly delayed = new Map<string, { entry: Entry; timer: NodeJS.Timeout }>();
  private readonly running = new Map<string, AbortController>();
  private readonly listeners = new Set<JobEventListener>();
  private readonly idleWaiters: Array<() => void> = [];
  private processor?: JobProcessor;
  private workerId = '';
  private closed = false;

  constructor(private readonly options: RetryPolicy & { concurrency: number }) {}

  async enqueue(job: QueuedJob): Promise<void> {
    if (this.closed) throw new Error('the in-process queue is closed');
    this.waiting.push({ job, attemptsStarted: 0, failedAttempts: 0 });
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
    const controller = this.running.get(jobId);
    if (controller) {
      controller.abort();
      return 'signalled';
    }
    return 'unknown';
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
    for (const controller of this.running.values()) controller.abort();
    await this.whenIdle();
  }

  private pump(): void {
    const processor = this.processor;
    if (!processor) return;
    while (!this.closed && this.running.size < this.options.concurrency && this.waiting.length > 0) {
      const entry = this.waiting.shift() as Entry;
      void this.run(entry, processor);
    }
  }

  private async run(entry: Entry, processor: JobProcessor): Promise<void> {
    const { jobId } = entry.job;
    const controller = new AbortController();
    this.running.set(jobId, controller);
    entry.attemptsStarted += 1;
    this.emit({ type: 'active', jobId });
    try {
      await processor(entry.job, {
        attempt: entry.attemptsStarted,
        willRetryOnFailure: entry.failedAttempts + 1 < this.options.attempts,
        workerId: this.workerId,
        signal: controller.signal,
        reportProgress: async (progress) => this.emit({ type: 'progress', jobId, progress }),
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

