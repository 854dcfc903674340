import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CancelOutcome, JobEvent, JobEventListener, JobProgress, JobQueue, QueuedJob } from '../../core/index.js';
import type { RetryPolicy } from '../retry-policy.js';
import { cancelChannel, QUEUE_KINDS } from './queue-names.js';

export interface BullmqQueueOptions extends RetryPolicy {
  /** Owned by the caller, who closes it after this queue. */
  connection: Redis;
  prefix: string;
}

/** Retries, and how long finished jobs stay in Redis (the state store keeps them for good). */
export function bullmqJobOptions(policy: RetryPolicy) {
  return {
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs },
    removeOnComplete: { age: 7 * 24 * 3600, count: 5000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}

/** The producer side on BullMQ: one named queue per job kind, and their events relayed as JobEvents. */
export class BullmqJobQueue implements JobQueue {
  private readonly queues = new Map<string, Queue>();
  private readonly events: Array<{ events: QueueEvents; connection: Redis }> = [];
  private readonly listeners = new Set<JobEventListener>();

  constructor(private readonly options: BullmqQueueOptions) {
    for (const kind of QUEUE_KINDS) {
      this.queues.set(kind, new Queue(kind, { connection: options.connection, prefix: options.prefix }));
    }
  }

  /** Starts listening to queue events (a blocking connection per queue); needed only by the bot. */
  async listen(): Promise<void> {
    for (const kind of QUEUE_KINDS) {
      const connection = this.options.connection.duplicate();
      const events = new QueueEvents(kind, { connection, prefix: this.options.prefix });
      events.on('active', ({ jobId }) => this.emit({ type: 'active', jobId }));
      events.on('progress', ({ jobId, data }) => this.emit({ type: 'progress', jobId, progress: data as JobProgress }));
      events.on('completed', ({ jobId }) => this.emit({ type: 'completed', jobId }));
      // BullMQ emits `failed` only once a job has failed for good; retries emit `waiting`/`delayed`.
      events.on('failed', ({ jobId }) => this.emit({ type: 'failed', jobId }));
      this.events.push({ events, connection });
      await events.waitUntilReady();
    }
  }

  async enqueue(job: QueuedJob): Promise<void> {
    await this.queueFor(job.action.action).add(job.action.action, job, { jobId: job.jobId, ...bullmqJobOptions(this.options) });
  }

  async cancel(jobId: string): Promise<CancelOutcome> {
    const { connection, prefix } = this.options;
    for (const queue of this.queues.values()) {
      const job = await queue.getJob(jobId);
      if (!job) continue;
      const state = await job.getState();
      if (state === 'waiting' || state === 'delayed' || state === 'prioritized' || state === 'waiting-children') {
        try {
          await job.remove();
          return 'removed';
        } catch {
          // A worker took it between getState and remove: fall through to signalling it.
        }
      }
      if (state === 'completed' || state === 'failed') return 'unknown';
      await connection.publish(cancelChannel(prefix), jobId);
      return 'signalled';
    }
    return 'unknown';
  }

  onEvent(listener: JobEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.events.map(async ({ events, connection }) => {
        await events.close();
        connection.disconnect();
      }),
    );
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  private queueFor(kind: string): Queue {
    const queue = this.queues.get(kind);
    if (!queue) throw new Error(`no queue for job kind ${kind}`);
    return queue;
  }

  private emit(event: JobEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
