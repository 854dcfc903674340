import { PermanentJobError } from '../../core/index.js';
import type { JobHandler } from './handler-deps.js';

/** Hyperparameter search (being built: see the training issue). */
export const tuneHandler: JobHandler<'tune'> = async (action) => {
  throw new PermanentJobError(`tune is not implemented yet, so no search was run for ${action.args.model}`);
};
