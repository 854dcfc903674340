import { JOB_ACTIONS, type JobActionName, type QueuedJob } from '../../core/index.js';
import { gpusRequested } from '../../core/queue/gpus-requested.js';

/** One named BullMQ queue per job kind, so each kind can get its own workers and limits. */
export const QUEUE_KINDS: readonly JobActionName[] = JOB_ACTIONS;

/** Kinds whose arguments include `gpus` (see action.schema.ts); only these get GPU queues. */
export const GPU_JOB_KINDS: readonly JobActionName[] = ['train'];

/**
 * A job that needs N GPUs waits in `<kind>-gpu-N`, so a worker asks only queues whose
 * jobs fit its free GPUs and never takes a job it would have to hand back.
 */
export const gpuQueueName = (kind: JobActionName, gpus: number): string => `${kind}-gpu-${gpus}`;

/** GPUs the jobs of a queue need: N for `<kind>-gpu-N`, 0 for a kind's own queue. */
export function gpusOfQueue(name: string): number {
  const match = /-gpu-(\d+)$/.exec(name);
  return match ? Number(match[1]) : 0;
}

/** Kinds whose jobs queue child jobs (see job-children.ts): a tune job's trials. */
export const PARENT_JOB_KINDS: readonly JobActionName[] = ['tune'];

/** Where a kind's child jobs wait, so workers that take the kind take its children too. */
export const childQueueName = (kind: JobActionName): string => `${kind}-children`;

export function queueNameFor(job: Pick<QueuedJob, 'action' | 'child'>): string {
  if (job.child) return childQueueName(job.action.action);
  const gpus = gpusRequested(job.action);
  return gpus > 0 ? gpuQueueName(job.action.action, gpus) : job.action.action;
}

/** Pub/sub channel on which the bot tells workers to stop a running job. */
export const cancelChannel = (prefix: string): string => `${prefix}:opsbot:cancel`;

/**
 * Set when a parent job is cancelled while its children run or wait: pub/sub reaches
 * only the workers listening then, and the parent and its children run later.
 */
export const cancelledKey = (prefix: string, jobId: string): string => `${prefix}:opsbot:cancelled:${jobId}`;

/** A worker's advertisement (GPUs, running jobs); it expires unless the worker renews it. */
export const workerKey = (prefix: string, workerId: string): string => `${prefix}:opsbot:worker:${workerId}`;
/** Sorted set of advertised worker ids, scored by when their advertisement expires. */
export const workerIndexKey = (prefix: string): string => `${prefix}:opsbot:workers`;
