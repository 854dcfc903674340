import type { JobActionName } from '../../core/index.js';
import { deleteHandler } from './delete.handler.js';
import { deployHandler } from './deploy.handler.js';
import { evaluateHandler } from './evaluate.handler.js';
import type { ChildJobHandler, JobHandler } from './handler-deps.js';
import { rollbackHandler } from './rollback.handler.js';
import { pruneHandler } from './prune.handler.js';
import { scaleHandler } from './scale.handler.js';
import { trainHandler } from './train.handler.js';
import { quantizeHandler } from './quantize.handler.js';
import { tuneHandler } from './tune.handler.js';
import { tuneTrialHandler } from './tune-trial.handler.js';
import { withRetention } from './with-retention.js';

export type { ChildJobHandler, HandlerDeps, JobHandler } from './handler-deps.js';

/** The verb → handler map workers run. */
export const JOB_HANDLERS: { [K in JobActionName]: JobHandler<K> } = {
  train: withRetention(trainHandler),
  tune: withRetention(tuneHandler),
  evaluate: evaluateHandler,
  quantize: withRetention(quantizeHandler),
  deploy: deployHandler,
  rollback: rollbackHandler,
  scale: scaleHandler,
  delete: deleteHandler,
  prune: pruneHandler,
};

/** Kinds whose jobs queue children, and the handler of those children. */
export const JOB_CHILD_HANDLERS: { [K in JobActionName]?: ChildJobHandler<K> } = {
  tune: tuneTrialHandler,
};
