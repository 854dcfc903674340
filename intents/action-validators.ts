import type { z } from 'zod';
import { buildActionSchemas, type Action, type ActionName } from '../core/index.js';
import type { ActionLimits } from '../core/index.js';

export type ValidateAction = (input: { action: ActionName; args: object }) => z.ZodSafeParseResult<Action>;

/** One validator per action over the shared schemas, built once per parser because schemas depend on the limits. */
export function buildActionValidators(limits: ActionLimits): Readonly<Record<ActionName, ValidateAction>> {
  const schemas = buildActionSchemas(limits);
  return {
    train: (input) => schemas.train.safeParse(input),
    tune: (input) => schemas.tune.safeParse(input),
    quantize: (input) => schemas.quantize.safeParse(input),
    curve: (input) => schemas.curve.safeParse(input),
    evaluate: (input) => schemas.evaluate.safeParse(input),
    deploy: (input) => schemas.deploy.safeParse(input),
    rollback: (input) => schemas.rollback.safeParse(input),
    scale: (input) => schemas.scale.safeParse(input),
    delete: (input) => schemas.delete.safeParse(input),
    prune: (input) => schemas.prune.safeParse(input),
    status: (input) => schemas.status.safeParse(input),
    cancel: (input) => schemas.cancel.safeParse(input),
    audit: (input) => schemas.audit.safeParse(input),
    help: (input) => schemas.help.safeParse(input),
  };
}
