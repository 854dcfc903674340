import { OpsbotError } from '../../core/index.js';

/**
 * The trainer exited with an error. Not permanent: a crash may be transient (out of
 * memory, a lost node), so the job's retry policy applies.
 */
export class ExternalTrainerFailedError extends OpsbotError {
  constructor(userMessage: string) {
    super('job_failed', userMessage);
  }
}
