import {
  buildActionSchemas,
  isPermanentFailure,
  JobCancelledError,
  JobLockLostError,
  JobParkedError,
  PermanentJobError,
  TERMINAL_JOB_STATUSES,
  userFacingMessage,
  type ActionLimits,
  type AuditEntry,
  type AuditOutcome,
  type JobAction,
  type JobContext,
  type JobProcessor,
  type JobResult,
  type QueuedJob,
} from '../core/index.js';
import type { ChildJobHandler, HandlerDeps, JobHandler } from './handlers/index.js';

// The handlers (datasets, training, ONNX, tuning) load with the first job, not when the bot starts.
let handlers: Promise<typeof import('./handlers/index.js')> | undefined;
const loadHandlers = () => (handlers ??= import('./handlers/index.js'));

/** This attempt was fenced off: its queue lock was lost, and another attempt may run the job. */
const lostLock = (error: unknown, context: JobContext) => error instanceof JobLockLostError || context.signal.reason instanceof JobLockLostError;

/**
 * Wraps the job handlers with what every attempt needs, on any queue driver: the
 * arguments re-validated, the job's state kept in the store, and an audit record
 * for each attempt started and for the one final outcome. A parent's later steps
 * continue its attempt; its children's progress shows on the parent's record.
 */
export function createJobRunner(deps: HandlerDeps & { limits: ActionLimits }): JobProcessor {
  const schemas = buildActionSchemas(deps.limits);
  const { store, log } = deps;

  const audit = (job: QueuedJob, outcome: AuditOutcome, extra: Partial<AuditEntry>) =>
    store.audit.append({
      platform: job.requestedBy.platform,
      workspace: job.requestedBy.workspace,
      userId: job.requestedBy.userId,
      userName: job.requestedBy.displayName,
      channelId: job.conversation.channelId,
      threadId: job.conversation.threadId,
      action: job.action.action,
      args: job.action.args as Record<string, unknown>,
      outcome,
      jobId: job.jobId,
      ...extra,
    });

  /** The handler's context: its progress is kept on `shownOn`'s record (a child's on its parent's) as well as reported. */
  const handlerContext = (context: JobContext, shownOn: string): JobContext => ({
    ...context,
    reportProgress: async (progress) => {
      await store.jobs.recordProgress(shownOn, progress);
      await context.reportProgress(progress);
    },
  });

  const validAction = (job: QueuedJob): JobAction => {
    const parsed = schemas[job.action.action].safeParse(job.action);
    if (!parsed.success) throw new PermanentJobError(`invalid job arguments: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data as JobAction;
  };

  /** A child: part of its parent's attempt, so its outcome is the parent's to record, not the store's or the audit log's. */
  const runChild = async (job: QueuedJob, child: NonNullable<QueuedJob['child']>, context: JobContext): Promise<JobResult> => {
    const parent = await store.jobs.get(child.parentId);
    if (!parent || TERMINAL_JOB_STATUSES.includes(parent.status)) {
      throw new JobCancelledError(`its parent job ${child.parentId} has ${parent ? parent.status : 'gone'}`);
    }
    const action = validAction(job);
    const handler = (await loadHandlers()).JOB_CHILD_HANDLERS[action.action] as ChildJobHandler<typeof action.action> | undefined;
    if (!handler) throw new PermanentJobError(`${action.action} jobs have no child jobs`);
    try {
      return await handler(action as never, { ...job, child }, handlerContext(context, child.parentId), deps);
    } catch (error) {
      if (lostLock(error, context)) log.warn({ jobId: job.jobId, attempt: context.attempt, worker: context.workerId }, 'lost the child job lock; stopped this attempt');
      else if (!isPermanentFailure(error) && !context.signal.aborted) log.error({ err: error, jobId: job.jobId, attempt: context.attempt }, 'child job attempt failed');
      throw error;
    }
  };

  return async (job, context) => {
    if (job.child) return runChild(job, job.child, context);
    const record = await store.jobs.get(job.jobId);
    if (record && TERMINAL_JOB_STATUSES.includes(record.status)) {
      // Finished (or cancelled) already, e.g. a worker died after recording the result: never run twice.
      log.info({ jobId: job.jobId, status: record.status }, 'skipping a job that already finished');
      return record.result ?? { summary: `already ${record.status}` };
    }
    // A later step's outcome is timed from the attempt's start, not the step's.
    const started = context.children.resumed && record?.startedAt ? Date.parse(record.startedAt) : Date.now();
    if (!context.children.resumed) {
      await store.jobs.markActive(job.jobId, context.attempt, context.workerId);
      await audit(job, 'started', { attempt: context.attempt, detail: `worker ${context.workerId}` });
      const startedProgress = { percent: 0, message: context.attempt > 1 ? `attempt ${context.attempt} started` : 'started' };
      await store.jobs.recordProgress(job.jobId, startedProgress);
      await context.reportProgress(startedProgress);
    }
    try {
      const action = validAction(job);
      const handler = (await loadHandlers()).JOB_HANDLERS[action.action] as JobHandler<typeof action.action>;
      const result = await handler(action as never, job, handlerContext(context, job.jobId), deps);
      if (await store.jobs.finish(job.jobId, { status: 'completed', result })) {
        await audit(job, 'completed', { attempt: context.attempt, durationMs: Date.now() - started, detail: result.summary });
      }
      return result;
    } catch (error) {
      if (error instanceof JobParkedError) throw error;
      if (lostLock(error, context)) {
        // The attempt that holds the lock now owns the job's record.
        log.warn({ jobId: job.jobId, attempt: context.attempt, worker: context.workerId }, 'lost the job lock; stopped this attempt without recording anything');
        throw error;
      }
      const durationMs = Date.now() - started;
      if (context.signal.aborted || error instanceof JobCancelledError) {
        const message = 'Cancelled while running.';
        if (await store.jobs.finish(job.jobId, { status: 'cancelled', error: message })) {
          await audit(job, 'cancelled', { attempt: context.attempt, durationMs, detail: message });
        }
        throw new JobCancelledError(message);
      }
      const message = userFacingMessage(error);
      if (!isPermanentFailure(error)) log.error({ err: error, jobId: job.jobId, attempt: context.attempt }, 'job attempt failed');
      if (isPermanentFailure(error) || !context.willRetryOnFailure) {
        if (await store.jobs.finish(job.jobId, { status: 'failed', error: `Failed: ${message}` })) {
          await audit(job, 'failed', { attempt: context.attempt, durationMs, detail: message });
        }
      } else {
        await store.jobs.recordProgress(job.jobId, { percent: 0, message: `attempt ${context.attempt} failed (${message}); retrying` });
        await audit(job, 'retrying', { attempt: context.attempt, durationMs, detail: message });
      }
      throw error;
    }
  };
}
