import { OpsbotError } from '../errors.js';

/**
 * This attempt no longer holds its job: its queue lock expired or was taken, so
 * another worker may run the job now. The attempt stops and commits nothing; the
 * job's record is left to the attempt that holds the lock.
 */
export class JobLockLostError extends OpsbotError {
  constructor(userMessage = 'this worker lost the job’s lock, so another worker runs it now') {
    super('job_failed', userMessage);
  }
}
