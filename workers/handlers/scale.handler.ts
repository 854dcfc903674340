import { identityKey, PermanentJobError } from '../../core/index.js';
import { NO_DEPLOY_TARGET_NOTE } from './deployment-note.js';
import type { JobHandler } from './handler-deps.js';

/** Records a replica count or an autoscaling range for the current deployment. */
export const scaleHandler: JobHandler<'scale'> = async (action, job, context, deps) => {
  const { model, env, replicas, min, max } = action.args;
  const current = await deps.store.deployments.current(model, env);
  if (!current) throw new PermanentJobError(`${model} is not deployed in ${env}; deploy it first`);
  await context.reportProgress({ percent: 50, message: `recording scale of ${model} in ${env}` });
  const fixed = replicas !== undefined;
  const revision = await deps.store.deployments.record({
    model,
    env,
    version: current.version,
    replicas: fixed ? replicas : undefined,
    min: fixed ? undefined : (min ?? current.min ?? 1),
    max: fixed ? undefined : (max ?? current.max ?? Math.max(min ?? 1, current.replicas ?? 1)),
    change: 'scale',
    jobId: job.jobId,
    by: identityKey(job.requestedBy),
  });
  const target = fixed ? `${replicas} replica${replicas === 1 ? '' : 's'}` : `autoscaling between ${revision.min} and ${revision.max} replicas`;
  return {
    summary: `${model} v${current.version} in ${env} set to ${target}, revision ${revision.revision}. ${NO_DEPLOY_TARGET_NOTE}`,
    details: { model, env, version: `v${current.version}`, revision: revision.revision },
  };
};
