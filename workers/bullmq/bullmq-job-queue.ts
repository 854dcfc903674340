import { Queue, QueueEvents, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  InvalidInputError,
  parentOfJobId,
  silentLogger,
  type CancelOutcome,
  type JobActionName,
  type JobEvent,
  type JobEventListener,
  type JobProgress,
  type JobQueue,
  type Logger,
  type QueuedJob,
} from '../../core/index.js';
import { gpusRequested } from '../../core/queue/gpus-requested.js';
import type { JobPlacement } from '../../core/queue/job-placement.js';
import type { QueueCounts } from '../../core/queue/queue-counts.js';
import type { WorkerStatus } from '../../core/queue/worker-status.js';
import type { RetryPolicy } from '../retry-policy.js';
import { bullmqJobOptions } from './bullmq-job-options.js';
import { idOfJobKey, waitsOf } from './bullmq-job-children.js';
import { cancelChannel, cancelledKey, childQueueName, GPU_JOB_KINDS, gpuQueueName, gpusOfQueue, PARENT_JOB_KINDS, QUEUE_KINDS, queueNameFor } from './queue-names.js';
import { isRedisReady } from './redis-connection.js';
import { isRedisConnectionError, redisUnavailableError } from './redis-unreachable.js';
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
  /**
   * Where queue errors other than an unreachable Redis go (the connection reports that).
   * @defaultValue silent
   */
  log?: Logger;
}


/** How long a parent's cancellation is remembered for its children and later steps. */
const CANCELLED_TTL_SECONDS = 7 * 24 * 3600;

/**
 * The producer side on BullMQ: one named queue per job kind, plus one per GPU count
 * for kinds that take GPUs (`train-gpu-2` holds train jobs that need 2) and one for
 * the child jobs of kinds that have them (`tune-children`), and their events relayed
 * as JobEvents — a child's progress as its parent's.
 */
export class BullmqJobQueue implements JobQueue {
  /** Every queue name: the kinds', then the GPU queues. */
  private readonly names: string[] = [...QUEUE_KINDS, ...PARENT_JOB_KINDS.map(childQueueName)];
  private readonly queues = new Map<string, Queue>();
  private readonly events: Array<{ events: QueueEvents; connection: Redis }> = [];
  private readonly listeners = new Set<JobEventListener>();
  /** Resolves once every queue's events are heard; jobs are queued only then, so none of their events is missed. */
  private listening: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: BullmqQueueOptions) {
    for (const kind of GPU_JOB_KINDS) {
      for (let gpus = 1; gpus <= (options.maxGpus ?? 8); gpus++) this.names.push(gpuQueueName(kind, gpus));
    }
    // GPU queues open on first use: each open queue costs start-up round trips, and most counts are never asked for.
    for (const kind of QUEUE_KINDS) this.queue(kind);
  }

  /**
   * Starts listening to queue events (a blocking connection per queue); needed only by
   * the bot. Resolves once Redis answers, which the bot does not wait for: until then
   * every call is refused with a message that says Redis cannot be reached.
   */
  listen(): Promise<unknown> {
    const ready: Array<Promise<unknown>> = [];
    for (const name of this.names) {
      const connection = this.options.connection.duplicate();
      const events = new QueueEvents(name, { connection, prefix: this.options.prefix });
      this.reportErrors(events, name);
      this.events.push({ events, connection });
      if (PARENT_JOB_KINDS.some((kind) => childQueueName(kind) === name)) {
        events.on('progress', ({ jobId, data }) => {
          const parentId = parentOfJobId(jobId);
          if (parentId) this.emit({ type: 'progress', jobId: parentId, progress: data as JobProgress });
        });
      } else {
        events.on('active', ({ jobId }) => this.emit({ type: 'active', jobId }));
        events.on('progress', ({ jobId, data }) => this.emit({ type: 'progress', jobId, progress: data as JobProgress }));
        events.on('completed', ({ jobId }) => this.emit({ type: 'completed', jobId }));
        // BullMQ emits `failed` only once a job has failed for good; retries emit `waiting`/`delayed`.
        events.on('failed', ({ jobId }) => this.emit({ type: 'failed', jobId }));
      }
      ready.push(events.waitUntilReady());
    }
    this.listening = Promise.all(ready);
    return this.listening;
  }

  async enqueue(job: QueuedJob): Promise<void> {
    await this.reachable();
    const name = queueNameFor(job);
    if (!this.names.includes(name)) {
      throw new InvalidInputError(`a job may ask for at most ${this.options.maxGpus ?? 8} GPUs; this one asks for ${gpusRequested(job.action)}`);
    }
    await this.queue(name).add(job.action.action, job, { jobId: job.jobId, ...bullmqJobOptions(this.options) });
  }

  async cancel(jobId: string): Promise<CancelOutcome> {
    await this.reachable();
    const { connection, prefix } = this.options;
    const job = await this.findJob(jobId);
    if (!job) return 'unknown';
    const state = await job.getState();
    const started = state === 'active' || state === 'waiting-children' || waitsOf(job) > 0;
    if (started && state !== 'completed' && state !== 'failed' && PARENT_JOB_KINDS.includes(job.name as JobActionName)) return this.cancelParent(job);
    if (state === 'waiting' || state === 'delayed' || state === 'prioritized') {
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

  /**
   * A parent with children out, or between steps: it is marked cancelled for its
   * children and next step, and the running children are told to stop. Waiting
   * children fail as soon as a worker takes them; then the parent's next step runs
   * aborted and deletes what its children left.
   */
  private async cancelParent(job: Job): Promise<CancelOutcome> {
    const { connection, prefix } = this.options;
    const jobId = job.id as string;
    await connection.set(cancelledKey(prefix, jobId), '1', 'EX', CANCELLED_TTL_SECONDS);
    const { unprocessed = [] } = await job.getDependencies();
    await Promise.all([jobId, ...unprocessed.map(idOfJobKey)].map((id) => connection.publish(cancelChannel(prefix), id)));
    return 'signalled';
  }

  async describe(jobId: string): Promise<JobPlacement | undefined> {
    await this.reachable();
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
    if (state === 'waiting-children') return { state: 'waiting-children', queue, gpusNeeded, children: await this.childCounts(job) };
    if (state !== 'active') return undefined;
    const worker = (await this.workers()).find((w) => w.jobIds.includes(jobId) || w.gpus.some((g) => g.jobId === jobId));
    const gpus = worker?.gpus.filter((g) => g.jobId === jobId).map((g) => g.index) ?? [];
    const workerId = worker?.workerId ?? job.processedBy;
    return workerId === undefined ? { state: 'running', queue, gpusNeeded, gpus } : { state: 'running', queue, gpusNeeded, workerId, gpus };
  }

  private async childCounts(job: Job): Promise<{ running: number; waiting: number; finished: number }> {
    const [{ unprocessed = [] }, counts] = await Promise.all([job.getDependencies(), job.getDependenciesCount({ processed: true, ignored: true })]);
    const childQueue = this.queue(childQueueName(job.name as JobActionName));
    const states = await Promise.all(unprocessed.map((key) => childQueue.getJobState(idOfJobKey(key))));
    const running = states.filter((state) => state === 'active').length;
    return { running, waiting: unprocessed.length - running, finished: (counts.processed ?? 0) + (counts.ignored ?? 0) };
  }

  async workers(): Promise<WorkerStatus[]> {
    await this.reachable();
    return readWorkerAdverts(this.options.connection, this.options.prefix);
  }

  onEvent(listener: JobEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every queue opened so far (each kind's; GPU queues once used): one round trip each. */
  async counts(): Promise<QueueCounts[]> {
    await this.reachable();
    return Promise.all(
      [...this.queues].map(async ([name, queue]) => {
        const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'failed', 'delayed');
        return { queue: name, waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0), active: counts.active ?? 0, failed: counts.failed ?? 0, delayed: counts.delayed ?? 0 };
      }),
    );
  }

  async close(): Promise<void> {
    if (this.options.connection.status !== 'ready') {
      // BullMQ's close waits for Redis to answer, which it may never do: drop the connections (and their duplicates) instead.
      this.options.connection.disconnect();
      return;
    }
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
      this.reportErrors(queue, name);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /**
   * Commands wait for a Redis that is down (they must, for blocking workers), so a chat
   * command would hang: it is refused at once instead, saying why.
   */
  private async reachable(): Promise<void> {
    const { connection } = this.options;
    if (!(await isRedisReady(connection))) {
      const { host, port } = connection.options;
      throw redisUnavailableError(`redis://${host ?? 'localhost'}:${port ?? 6379}`);
    }
    await this.listening;
  }

  /** BullMQ prints errors nobody listens to, stack and all. */
  private reportErrors(emitter: Queue | QueueEvents, queue: string): void {
    const report = (error: Error) => {
      if (!isRedisConnectionError(error)) (this.options.log ?? silentLogger).error({ err: error, queue }, 'queue error');
    };
    if (emitter instanceof Queue) emitter.on('error', report);
    else emitter.on('error', report);
  }

  private emit(event: JobEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
