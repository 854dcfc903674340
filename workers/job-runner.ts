import {
  buildActionSchemas,
  isPermanentFailure,
  JobCancelledError,
  PermanentJobError,
  TERMINAL_JOB_STATUSES,
  userFacingMessage,
  type ActionLimits,
  type AuditEntry,
  type AuditOutcome,
  type JobAction,
  type JobProcessor,
  type QueuedJob,
} from '../core/index.js';
import { JOB_HANDLERS, type HandlerDeps, type JobHandler } from './handlers/index.js';

/**
 * Wraps the job handlers with what every attempt needs, on any queue driver: the
 * arguments re-validated, the job's state kept in the store, and an audit record
 * for each attempt started and for the one final outcome.
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

  return async (job, context) => {
    const record = await store.jobs.get(job.jobId);
    if (record && TERMINAL_JOB_STATUSES.includes(record.status)) {
      // Finished (or cancelled) already, e.g. a worker died after recording the result: never run twice.
      log.info({ jobId: job.jobId, status: record.status }, 'skipping a job that already finished');
      return record.result ?? { summary: `already ${record.status}` };
    }
    const started = Date.now();
    await store.jobs.markActive(job.jobId, context.attempt, context.workerId);
    await audit(job, 'started', { attempt: context.attempt, detail: `worker ${context.workerId}` });
    const startedProgress = { percent: 0, message: context.attempt > 1 ? `attempt ${context.attempt} started` : 'started' };
    await store.jobs.recordProgress(job.jobId, startedProgress);
    await context.reportProgress(startedProgress);
    try {
      const parsed = schemas[job.action.action].safeParse(job.action);
      if (!parsed.success) throw new PermanentJobError(`invalid job arguments: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      const action = parsed.data as JobAction;
      const handler = JOB_HANDLERS[action.action] as JobHandler<typeof action.action>;
      const result = await handler(action as never, job, {
        ...context,
        reportProgress: async (progress) => {
          await store.jobs.recordProgress(job.jobId, progress);
          await context.reportProgress(progress);
        },
      }, deps);
      if (await store.jobs.finish(job.jobId, { status: 'completed', result })) {
        await audit(job, 'completed', { attempt: context.attempt, durationMs: Date.now() - started, detail: result.summary });
      }
      return result;
    } catch (error) {
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
