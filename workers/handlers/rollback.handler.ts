import { identityKey, PermanentJobError } from '../../core/index.js';
import { NO_DEPLOY_TARGET_NOTE } from './deployment-note.js';
import type { JobHandler } from './handler-deps.js';

/** Records a return to an earlier version (pinned by the dispatcher) as a new deployment revision. */
export const rollbackHandler: JobHandler<'rollback'> = async (action, job, context, deps) => {
  const { model, env } = action.args;
  const target = Number(action.args.version);
  const current = await deps.store.deployments.current(model, env);
  if (!current) throw new PermanentJobError(`${model} is no longer deployed in ${env}; nothing to roll back`);
  await context.reportProgress({ percent: 50, message: `recording rollback of ${model} in ${env} to v${target}` });
  const revision = await deps.store.deployments.record({
    model,
    env,
    version: target,
    replicas: current.replicas,
    min: current.min,
    max: current.max,
    change: 'rollback',
    jobId: job.jobId,
    by: identityKey(job.requestedBy),
  });
  // On a retry after the revision was written, `current` is this job's own revision.
  const from = current.jobId === job.jobId ? 'the previous version' : `v${current.version}`;
  return {
    summary: `${model} in ${env} rolled back from ${from} to v${target}, revision ${revision.revision}. ${NO_DEPLOY_TARGET_NOTE}`,
    details: { model, env, version: `v${target}`, revision: revision.revision },
  };
};
