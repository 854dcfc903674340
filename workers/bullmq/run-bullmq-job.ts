import { UnrecoverableError, type Job } from 'bullmq';
import { isPermanentFailure, queuedJobSchema, type JobProcessor, type JobResult, type Logger, type QueuedJob } from '../../core/index.js';

export interface RunBullmqJobOptions {
  processor: JobProcessor;
  workerId: string;
  log: Logger;
}

/**
 * Runs one BullMQ job through opsbot's processor, for both consumers (BullMQ's own
 * loop and the manual GPU loop): the payload is validated at this edge, and
 * failures no retry can fix — bad input, a cancellation — become UnrecoverableError
 * so BullMQ does not retry them.
 */
export async function runBullmqJob(
  options: RunBullmqJobOptions,
  job: Job,
  signal: AbortSignal,
  gpus: readonly number[],
): Promise<JobResult> {
  const parsed = queuedJobSchema.safeParse(job.data);
  if (!parsed.success) {
    options.log.error({ jobId: job.id, issues: parsed.error.issues }, 'rejected a malformed job payload');
    throw new UnrecoverableError(`malformed job payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  try {
    return await options.processor(parsed.data as QueuedJob, {
      attempt: job.attemptsStarted,
      willRetryOnFailure: job.attemptsMade + 1 < (job.opts.attempts ?? 1),
      workerId: options.workerId,
      signal,
      reportProgress: (progress) => job.updateProgress(progress),
      gpus,
    });
  } catch (error) {
    if (isPermanentFailure(error) || signal.aborted) {
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
    throw error;
  }
}
