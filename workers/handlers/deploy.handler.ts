import { identityKey, PermanentJobError } from '../../core/index.js';
import { NO_DEPLOY_TARGET_NOTE } from './deployment-note.js';
import type { JobHandler } from './handler-deps.js';

/** Records a model version as the desired version of an environment (a new deployment revision). */
export const deployHandler: JobHandler<'deploy'> = async (action, job, context, deps) => {
  const { model, env } = action.args;
  const versionNumber = Number(action.args.version);
  const version = await deps.store.registry.getVersion(model, versionNumber);
  if (!version) throw new PermanentJobError(`${model} v${versionNumber} no longer exists in the registry`);
  const current = await deps.store.deployments.current(model, env);
  await context.reportProgress({ percent: 50, message: `recording ${model} v${versionNumber} for ${env}` });
  const revision = await deps.store.deployments.record({
    model,
    env,
    version: versionNumber,
    replicas: current?.replicas ?? (current?.min === undefined ? 1 : undefined),
    min: current?.min,
    max: current?.max,
    change: 'deploy',
    jobId: job.jobId,
    by: identityKey(job.requestedBy),
  });
  const replacing = !current ? ' (first deployment)' : current.jobId === job.jobId ? '' : ` (was v${current.version})`;
  return {
    summary: `${model} v${versionNumber} is now the desired version in ${env}${replacing}, revision ${revision.revision}. ${NO_DEPLOY_TARGET_NOTE}`,
    details: { model, env, version: `v${versionNumber}`, revision: revision.revision },
  };
};
