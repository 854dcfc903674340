import { OpsbotError } from '../errors.js';

/** The idle colour never became ready (crash loop, progress deadline, cancelled); what serves is untouched. */
export class RolloutFailedError extends OpsbotError {
  constructor(userMessage: string, options?: { cause?: unknown }) {
    super('job_failed', userMessage, options);
  }
}
