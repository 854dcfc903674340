import type { ChatPort, IncomingCommand } from '../chat/chat.port.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Logger } from '../logger.port.js';
import type { Message } from '../messages/message.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import { TERMINAL_JOB_STATUSES, type JobRecord } from '../store/job-store.port.js';
import type { StateStore } from '../store/state-store.port.js';
import { auditEntryFor } from './audit-entry-for.js';
import { jobMessage } from './job-message.js';

/** Cancels a job: removed from the queue if it has not started, otherwise its worker is told to stop. */
export async function cancelJob(
  jobId: string,
  command: IncomingCommand,
  deps: { store: StateStore; queue: JobQueue; chat: ChatPort; log: Logger; discardJobFiles?: (job: JobRecord) => Promise<void> },
): Promise<Message> {
  const job = await deps.store.jobs.get(jobId);
  if (!job) throw new NotFoundError(`There is no job ${jobId}. Type \`status\` to list recent jobs.`);
  if (TERMINAL_JOB_STATUSES.includes(job.status)) {
    throw new ConflictError(`Job ${jobId} has already ${job.status === 'cancelled' ? 'been cancelled' : job.status}; there is nothing to cancel.`);
  }
  const outcome = await deps.queue.cancel(jobId);
  if (outcome === 'signalled') {
    const text = `Asked the worker to stop job ${jobId}; its message will show when it has stopped.`;
    return { text, tone: 'info', blocks: [{ type: 'text', text }] };
  }
  // `unknown`: the queue no longer holds it, e.g. its worker died; it is cancelled all the same.
  const stopped = outcome === 'unknown' && job.status === 'active' ? 'after its worker had stopped' : 'before it started';
  const error = `Cancelled by ${command.identity.displayName} ${stopped}.`;
  if (await deps.store.jobs.finish(jobId, { status: 'cancelled', error })) {
    await deps.store.audit.append({ ...auditEntryFor(command, 'cancelled', { jobId }), action: job.kind, args: job.args, detail: error });
  }
  // A job the queue had lost cleans up after nobody: what it left (a tune's trial files) goes now.
  if (outcome === 'unknown') await deps.discardJobFiles?.(job).catch((error: unknown) => deps.log.warn({ err: error, jobId }, 'could not delete the files of a cancelled job'));
  const cancelled = await deps.store.jobs.get(jobId);
  // The job is cancelled whether or not its message can be shown so: the answer says what happened.
  if (cancelled?.replyRef) {
    await deps.chat.update(cancelled.conversation, cancelled.replyRef, jobMessage(cancelled)).catch((updateError: unknown) => {
      deps.log.warn({ err: updateError, jobId }, 'could not update the message of a cancelled job');
    });
  }
  const text = `Cancelled job ${jobId}.`;
  return { text, tone: 'success', blocks: [{ type: 'text', text }] };
}
