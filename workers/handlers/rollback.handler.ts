import { PermanentJobError } from '../../core/index.js';
import { deployerOf } from './deployer-of.js';
import type { JobHandler } from './handler-deps.js';

/** Switches the stable endpoint back to an earlier version (pinned by the dispatcher): instant while the old colour is warm. */
export const rollbackHandler: JobHandler<'rollback'> = async (action, job, context, deps) => {
  const deployer = deployerOf(deps);
  const { model, env } = action.args;
  const target = Number(action.args.version);
  if (!(await deps.store.registry.getVersion(model, target))) throw new PermanentJobError(`${model} v${target} no longer exists in the registry, so it cannot serve again`);
  await context.reportProgress({ percent: 10, message: `rolling ${model} in ${env} back to v${target}` });
  const result = await deployer.rollback(
    { jobId: job.jobId, model, env, version: target, by: job.requestedBy },
    (progress) => void context.reportProgress({ percent: 20, message: progress.message }).catch(() => undefined),
    context.signal,
  );
  const serving = await deployer.target.status({ model, env });
  const how = result.instant ? `at once: the ${result.colour} colour was still warm` : `after rolling v${target} out to the ${result.colour} colour`;
  return {
    summary: `${model} in ${env} rolled back from v${result.from} to v${target}, ${how}${serving.endpoint ? `; ${serving.endpoint} answers with v${target}` : ''}.`,
    details: { model, env, version: `v${target}`, colour: result.colour, ...(serving.endpoint ? { endpoint: serving.endpoint } : {}) },
  };
};
