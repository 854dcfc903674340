import { PermanentJobError } from '../../core/index.js';
import type { JobHandler } from './handler-deps.js';

/** INT8 quantisation of a registered version (being built: see the training issue). */
export const quantizeHandler: JobHandler<'quantize'> = async (action) => {
  throw new PermanentJobError(`quantize is not implemented yet, so ${action.args.model} was not quantized`);
};
