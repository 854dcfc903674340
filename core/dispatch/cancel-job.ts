import type { ChatPort, IncomingCommand } from '../chat/chat.port.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Message } from '../messages/message.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import { TERMINAL_JOB_STATUSES } from '../store/job-store.port.js';
import type { StateStore } from '../store/state-store.port.js';
import { auditEntryFor } from './audit-entry-for.js';
import { jobMessage } from './job-message.js';

/** Cancels a job: removed from the queue if it has not started, otherwise its worker is told to stop. */
export async function cancelJob(
  jobId: string,
  command: IncomingCommand,
  deps: { store: StateStore; queue: JobQueue; chat: ChatPort },
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
  const error = `Cancelled by ${command.identity.displayName} before it started.`;
  if (await deps.store.jobs.finish(jobId, { status: 'cancelled', error })) {
    await deps.store.audit.append({ ...auditEntryFor(command, 'cancelled', { jobId }), action: job.kind, args: job.args, detail: error });
  }
  const cancelled = await deps.store.jobs.get(jobId);
  if (cancelled?.replyRef) await deps.chat.update(cancelled.conversation, cancelled.replyRef, jobMessage(cancelled));
  const text = `Cancelled job ${jobId}.`;
  return { text, tone: 'success', blocks: [{ type: 'text', text }] };
}
