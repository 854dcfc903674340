import { UnrecoverableError, WaitingChildrenError, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { isPermanentFailure, JobParkedError, NO_CHILDREN, queuedJobSchema, type JobProcessor, type JobResult, type Logger, type QueuedJob } from '../../core/index.js';
import type { RetryPolicy } from '../retry-policy.js';
import { bullmqJobChildren, finishedChildrenOf, waitsOf } from './bullmq-job-children.js';
import { childQueueName, PARENT_JOB_KINDS } from './queue-names.js';

export interface RunBullmqJobOptions {
  /** Where the job's lock is read before its results are committed. */
  connection: Redis;
  prefix: string;
  processor: JobProcessor;
  workerId: string;
  log: Logger;
  /** Retries of the child jobs a parent queues: the same as its own. */
  retryPolicy: RetryPolicy;
  /** A producer handle on a queue of this prefix: where a parent adds its children, where a child finds its parent. */
  queue(name: string): Queue;
}

/** Whether `token` still holds the job's lock: false once it expired, or another worker took the job. */
async function holdsLock(options: RunBullmqJobOptions, job: Job, token: string): Promise<boolean> {
  return (await options.connection.get(`${options.prefix}:${job.queueName}:${job.id}:lock`)) === token;
}

/**
 * Runs one BullMQ job through opsbot's processor, for both consumers (BullMQ's own
 * loop and the manual GPU loop): the payload is validated at this edge, and
 * failures no retry can fix — bad input, a cancellation — become UnrecoverableError
 * so BullMQ does not retry them. A parent that parks for its children leaves with
 * WaitingChildrenError, which BullMQ treats as neither success nor failure.
 */
export async function runBullmqJob(
  options: RunBullmqJobOptions,
  job: Job,
  token: string,
  signal: AbortSignal,
  gpus: readonly number[],
): Promise<JobResult> {
  const parsed = queuedJobSchema.safeParse(job.data);
  if (!parsed.success) {
    options.log.error({ jobId: job.id, issues: parsed.error.issues }, 'rejected a malformed job payload');
    throw new UnrecoverableError(`malformed job payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  const queued = parsed.data as QueuedJob;
  const { child } = queued;
  try {
    const kind = queued.action.action;
    const children = child || !PARENT_JOB_KINDS.includes(kind) ? NO_CHILDREN : await bullmqJobChildren(job, queued, token, () => options.queue(childQueueName(kind)), options.retryPolicy);
    return await options.processor(queued, {
      // BullMQ counts every move to active; a parent's later steps are not new attempts.
      attempt: job.attemptsStarted - waitsOf(job),
      willRetryOnFailure: job.attemptsMade + 1 < (job.opts.attempts ?? 1),
      workerId: options.workerId,
      signal,
      ownsJob: () => holdsLock(options, job, token),
      reportProgress: (progress) => job.updateProgress(progress),
      gpus,
      children,
      ...(child ? { finishedSiblings: () => finishedChildrenOf(options.queue(kind), child.parentId) } : {}),
    });
  } catch (error) {
    if (error instanceof JobParkedError) throw new WaitingChildrenError();
    if (isPermanentFailure(error) || signal.aborted) {
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
    throw error;
  }
}
