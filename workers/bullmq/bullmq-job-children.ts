import type { Job, Queue } from 'bullmq';
import { childQueuedJob, JobParkedError, queuedJobSchema, type ChildOutcome, type JobChildren, type JobResult, type QueuedJob } from '../../core/index.js';
import type { RetryPolicy } from '../retry-policy.js';
import { bullmqJobOptions } from './bullmq-job-options.js';

/** Times a parent parked, kept in its job data: its later runs are steps of one attempt, not new attempts. */
export function waitsOf(job: Job): number {
  const waits = (job.data as { waits?: unknown }).waits;
  return typeof waits === 'number' && Number.isInteger(waits) && waits > 0 ? waits : 0;
}

/** A child's id from its dependency key, `<prefix>:<queue>:<id>`. */
export const idOfJobKey = (key: string): string => key.slice(key.lastIndexOf(':') + 1);

/** A parent's finished children from Redis: results, and failures for good. */
async function finishedChildren(job: Job, childQueue: Queue): Promise<ChildOutcome[]> {
  const [values, failures] = await Promise.all([job.getChildrenValues<JobResult>(), job.getIgnoredChildrenFailures()]);
  const keys = [...Object.keys(values), ...Object.keys(failures)];
  const children = await Promise.all(keys.map((key) => childQueue.getJob(idOfJobKey(key))));
  return children.flatMap((child, i): ChildOutcome[] => {
    const spec = queuedJobSchema.safeParse(child?.data).data?.child;
    const key = keys[i] as string;
    if (!spec) return [];
    return [key in values ? { key: spec.key, data: spec.data, result: values[key] as JobResult } : { key: spec.key, data: spec.data, error: String(failures[key]) }];
  });
}

/** How many of a parent's children have finished, over all its steps: completed ones and those that failed for good. */
export async function finishedChildrenOf(parentQueue: Queue, parentId: string): Promise<number> {
  const parent = await parentQueue.getJob(parentId);
  const counts = await parent?.getDependenciesCount({ processed: true, ignored: true });
  return (counts?.processed ?? 0) + (counts?.ignored ?? 0);
}

/**
 * A BullMQ parent's children: they are added to the kind's child queue with the
 * parent as their BullMQ parent, and the job moves to waiting-children (BullMQ's
 * step-job pattern) until all have finished; a child that fails for good is kept as
 * an ignored dependency, so the parent still runs and sees why.
 */
export async function bullmqJobChildren(job: Job, parent: QueuedJob, token: string, childQueue: () => Queue, policy: RetryPolicy): Promise<JobChildren> {
  const waits = waitsOf(job);
  const finished = waits > 0 ? await finishedChildren(job, childQueue()) : [];
  return {
    resumed: waits > 0,
    finished,
    async waitFor(specs) {
      await job.updateData({ ...job.data, waits: waits + 1 });
      const retention = { age: 30 * 24 * 3600 };
      await childQueue().addBulk(
        specs.map((spec) => {
          const child = childQueuedJob(parent, spec);
          // Children stay until their parent has read them: no count-based removal.
          const opts = { ...bullmqJobOptions(policy), removeOnComplete: retention, removeOnFail: retention };
          return { name: child.action.action, data: child, opts: { ...opts, jobId: child.jobId, parent: { id: job.id as string, queue: job.queueQualifiedName }, ignoreDependencyOnFailure: true } };
        }),
      );
      // False when every child had finished already (or none was added): the next step can run at once.
      if (!(await job.moveToWaitingChildren(token))) await job.moveToWait(token);
      throw new JobParkedError(specs.length);
    },
  };
}
