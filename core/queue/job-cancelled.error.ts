import { OpsbotError, PermanentJobError } from '../errors.js';

/** Thrown inside a job when its AbortSignal fires; never retried. */
export class JobCancelledError extends OpsbotError {
  constructor(userMessage = 'the job was cancelled') {
    super('job_failed', userMessage);
  }
}

/** Failures no retry can fix: bad input, a missing version, a cancellation. */
export function isPermanentFailure(error: unknown): boolean {
  return error instanceof PermanentJobError || error instanceof JobCancelledError;
}
