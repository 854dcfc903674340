import type { JobActionName } from '../../core/index.js';
import { deployHandler } from './deploy.handler.js';
import { evaluateHandler } from './evaluate.handler.js';
import type { JobHandler } from './handler-deps.js';
import { rollbackHandler } from './rollback.handler.js';
import { scaleHandler } from './scale.handler.js';
import { trainHandler } from './train.handler.js';
import { quantizeHandler } from './quantize.handler.js';
import { tuneHandler } from './tune.handler.js';

export type { HandlerDeps, JobHandler } from './handler-deps.js';

/** The verb → handler map workers run. */
export const JOB_HANDLERS: { [K in JobActionName]: JobHandler<K> } = {
  train: trainHandler,
  tune: tuneHandler,
  evaluate: evaluateHandler,
  quantize: quantizeHandler,
  deploy: deployHandler,
  rollback: rollbackHandler,
  scale: scaleHandler,
};
