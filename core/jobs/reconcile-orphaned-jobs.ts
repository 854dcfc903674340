import type { JobActionName } from '../actions/action.schema.js';
import type { AuditLog } from '../audit/audit-log.port.js';
import type { ChatPort } from '../chat/chat.port.js';
import { auditEntryFor } from '../dispatch/audit-entry-for.js';
import { jobMessage } from '../dispatch/job-message.js';
import type { Logger } from '../logger.port.js';
import type { QueuedJob } from '../queue/queued-job.js';
import type { JobRecord, JobStore } from '../store/job-store.port.js';

const CHANGES_STATE = 'it changes an environment, so it is not applied later unasked; check `status` and ask again if it is still wanted';
const DELETES = 'it deletes model files, so it is not run later unasked; check `status` and ask again if it is still wanted';

/**
 * What a restart does with a job of each kind that was queued or running, and why.
 * `rerun`: run it again. Otherwise the reason it is failed instead.
 */
type AfterRestart = { rerun: true } | { rerun: false; reason: string };
const AFTER_RESTART: Record<JobActionName, (job: JobRecord) => AfterRestart> = {
  // Idempotent: the version is registered under the job's id (registering it twice
  // returns the first), and each attempt writes its own directory, renamed into place
  // only when it succeeds; evaluate writes nothing. A re-run ends as the first would have.
  train: () => ({ rerun: true }),
  evaluate: () => ({ rerun: true }),
  quantize: () => ({ rerun: true }),
  // Its finished trials were known only to the embedded queue, which the restart emptied:
  // running it again would start the whole search over, unasked. One that never started
  // loses nothing.
  tune: (job): AfterRestart =>
    job.status === 'queued'
      ? { rerun: true }
      : { rerun: false, reason: 'the results of its finished trials were lost with the restart; start the search again with the same command' },
  // These change what an environment runs, or delete models, as asked (often confirmed) at
  // one moment: done later, unwatched, they could undo a change made since. The person decides.
  deploy: () => ({ rerun: false, reason: CHANGES_STATE }),
  rollback: () => ({ rerun: false, reason: CHANGES_STATE }),
  scale: () => ({ rerun: false, reason: CHANGES_STATE }),
  delete: () => ({ rerun: false, reason: DELETES }),
  prune: () => ({ rerun: false, reason: DELETES }),
};

export interface OrphanedJobsDeps {
  jobs: JobStore;
  audit: AuditLog;
  chat: ChatPort;
  log: Logger;
  /** Puts a job back on the queue, counting the attempts it has already started. */
  requeue(job: QueuedJob, attemptsStarted: number): Promise<void>;
  /** Deletes what an unfinished job left on disk (half-written attempts, a search's trials). */
  discardFiles(job: JobRecord): Promise<void>;
  /** Attempts a job gets (OPSBOT_JOB_ATTEMPTS), restarts included. */
  maxAttempts: number;
}

export interface ReconcileReport {
  requeued: string[];
  failed: string[];
}

/**
 * On the embedded queue, jobs live in the bot's memory, so a restart leaves their
 * records queued or running with nothing behind them. At start-up each one is run
 * again when its kind allows (and it has attempts left, so a job that takes the
 * process down cannot do so forever), or failed with the reason; its conversation is
 * told either way, and its leftover files are deleted.
 */
export async function reconcileOrphanedJobs(deps: OrphanedJobsDeps): Promise<ReconcileReport> {
  const orphans = (await deps.jobs.list({ status: ['queued', 'active'], limit: 1000 })).reverse();
  const report: ReconcileReport = { requeued: [], failed: [] };
  for (const job of orphans) {
    try {
      const decision = AFTER_RESTART[job.kind](job);
      const spent = job.attempts >= deps.maxAttempts;
      await deps.discardFiles(job);
      if (decision.rerun && !spent) {
        await requeue(job, deps);
        report.requeued.push(job.id);
      } else {
        const why = decision.rerun ? `it was interrupted ${job.attempts} times, which is all the attempts it gets` : decision.reason;
        await fail(job, `opsbot restarted while it was ${job.status === 'queued' ? 'queued' : 'running'}, and ${why}`, deps);
        report.failed.push(job.id);
      }
    } catch (error) {
      deps.log.error({ err: error, jobId: job.id }, 'could not reconcile a job left over from before the restart');
    }
  }
  if (orphans.length > 0) deps.log.info(report, 'reconciled jobs left over from before the restart');
  return report;
}

async function requeue(job: JobRecord, deps: OrphanedJobsDeps): Promise<void> {
  if (job.status === 'active') await deps.jobs.recordProgress(job.id, { percent: 0, message: `opsbot restarted during attempt ${job.attempts}; running it again` });
  const queued: QueuedJob = { jobId: job.id, action: { action: job.kind, args: job.args } as QueuedJob['action'], requestedBy: job.requestedBy, conversation: job.conversation };
  await deps.requeue(queued, job.attempts);
  await tell(job.id, deps);
}

async function fail(job: JobRecord, reason: string, deps: OrphanedJobsDeps): Promise<void> {
  const error = `Failed: ${reason}.`;
  if (await deps.jobs.finish(job.id, { status: 'failed', error })) {
    const command = { identity: job.requestedBy, conversation: job.conversation, text: job.text };
    await deps.audit.append({ ...auditEntryFor(command, 'failed', { jobId: job.id, detail: reason }), action: job.kind, args: job.args });
  }
  await tell(job.id, deps);
}

/** Shows the job's state in its own message (posted anew where the old one is gone). */
async function tell(jobId: string, deps: OrphanedJobsDeps): Promise<void> {
  const job = await deps.jobs.get(jobId);
  if (!job) return;
  try {
    if (job.replyRef) await deps.chat.update(job.conversation, job.replyRef, jobMessage(job));
    else await deps.jobs.setReplyRef(jobId, await deps.chat.post(job.conversation, jobMessage(job)));
  } catch (error) {
    deps.log.warn({ err: error, jobId }, 'could not tell the conversation about a job left over from before the restart');
  }
}
