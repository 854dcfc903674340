import { Queue, QueueEvents, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { InvalidInputError, type CancelOutcome, type JobEvent, type JobEventListener, type JobProgress, type JobQueue, type QueuedJob } from '../../core/index.js';
import { gpusRequested } from '../../core/queue/gpus-requested.js';
import type { JobPlacement } from '../../core/queue/job-placement.js';
import type { WorkerStatus } from '../../core/queue/worker-status.js';
import type { RetryPolicy } from '../retry-policy.js';
import { cancelChannel, GPU_JOB_KINDS, gpuQueueName, gpusOfQueue, QUEUE_KINDS, queueNameFor } from './queue-names.js';
import { readWorkerAdverts } from './worker-advert.js';

export interface BullmqQueueOptions extends RetryPolicy {
  /** Owned by the caller, who closes it after this queue. */
  connection: Redis;
  prefix: string;
  /**
   * The most GPUs one job may ask for (config `limits.maxGpus`): one queue per count.
   * @defaultValue 8
   */
  maxGpus?: number;
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

/**
 * The producer side on BullMQ: one named queue per job kind, plus one per GPU count
 * for kinds that take GPUs (`train-gpu-2` holds train jobs that need 2), and their
 * events relayed as JobEvents.
 */
export class BullmqJobQueue implements JobQueue {
  /** Every queue name: the kinds', then the GPU queues. */
  private readonly names: string[] = [...QUEUE_KINDS];
  private readonly queues = new Map<string, Queue>();
  private readonly events: Array<{ events: QueueEvents; connection: Redis }> = [];
  private readonly listeners = new Set<JobEventListener>();

  constructor(private readonly options: BullmqQueueOptions) {
    for (const kind of GPU_JOB_KINDS) {
      for (let gpus = 1; gpus <= (options.maxGpus ?? 8); gpus++) this.names.push(gpuQueueName(kind, gpus));
    }
    // GPU queues open on first use: each open queue costs start-up round trips, and most counts are never asked for.
    for (const kind of QUEUE_KINDS) this.queue(kind);
  }

  /** Starts listening to queue events (a blocking connection per queue); needed only by the bot. */
  async listen(): Promise<void> {
    for (const name of this.names) {
      const connection = this.options.connection.duplicate();
      const events = new QueueEvents(name, { connection, prefix: this.options.prefix });
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
    const name = queueNameFor(job);
    if (!this.names.includes(name)) {
      throw new InvalidInputError(`a job may ask for at most ${this.options.maxGpus ?? 8} GPUs; this one asks for ${gpusRequested(job.action)}`);
    }
    await this.queue(name).add(job.action.action, job, { jobId: job.jobId, ...bullmqJobOptions(this.options) });
  }

  async cancel(jobId: string): Promise<CancelOutcome> {
    const { connection, prefix } = this.options;
    const job = await this.findJob(jobId);
    if (!job) return 'unknown';
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

  async describe(jobId: string): Promise<JobPlacement | undefined> {
    const job = await this.findJob(jobId);
    if (!job) return undefined;
    const queue = job.queueName;
    const gpusNeeded = gpusOfQueue(queue);
    const state = await job.getState();
    if (state === 'waiting' || state === 'prioritized') {
      const { connection } = this.options;
      const wait = this.queue(queue).keys.wait as string;
      const [length, index] = await Promise.all([connection.llen(wait), connection.lpos(wait, jobId)]);
      // New jobs are pushed on the left and taken from the right, so the rightmost is next.
      return { state: 'waiting', queue, position: index === null ? length : length - index, waiting: length, gpusNeeded };
    }
    if (state === 'delayed') return { state: 'delayed', queue, gpusNeeded };
    if (state !== 'active') return undefined;
    const worker = (await this.workers()).find((w) => w.jobIds.includes(jobId) || w.gpus.some((g) => g.jobId === jobId));
    const gpus = worker?.gpus.filter((g) => g.jobId === jobId).map((g) => g.index) ?? [];
    const workerId = worker?.workerId ?? job.processedBy;
    return workerId === undefined ? { state: 'running', queue, gpusNeeded, gpus } : { state: 'running', queue, gpusNeeded, workerId, gpus };
  }

  workers(): Promise<WorkerStatus[]> {
    return readWorkerAdverts(this.options.connection, this.options.prefix);
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

  /** The job in whichever queue holds it (ids are unique across queues). */
  private async findJob(jobId: string): Promise<Job | undefined> {
    const found = await Promise.all(this.names.map((name) => this.queue(name).getJob(jobId)));
    return found.find((job) => job !== undefined);
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.options.connection, prefix: this.options.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  private emit(event: JobEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
