import { describeScaling, type Scaling } from '../../core/index.js';
import { deployerOf } from './deployer-of.js';
import type { JobHandler } from './handler-deps.js';

/** Sets the replicas, or the autoscaling range, of the live colour. */
export const scaleHandler: JobHandler<'scale'> = async (action, job, context, deps) => {
  const deployer = deployerOf(deps);
  const { model, env, replicas, min, max } = action.args;
  const slot = await deployer.slotState({ model, env });
  const live = slot?.live ? slot.colours[slot.live] : undefined;
  const current = live?.scaling;
  const scaling: Scaling =
    replicas !== undefined
      ? { replicas }
      : {
          min: min ?? (current && 'min' in current ? current.min : current?.replicas) ?? 1,
          max: max ?? (current && 'max' in current ? current.max : Math.max(min ?? 1, current?.replicas ?? 1)),
        };
  await context.reportProgress({ percent: 30, message: `scaling ${model} in ${env} to ${describeScaling(scaling)}` });
  const result = await deployer.scale({ jobId: job.jobId, model, env, scaling, by: job.requestedBy });
  const serving = await deployer.target.status({ model, env });
  const ready = serving.colours[result.colour];
  return {
    summary: `${model} v${result.version} in ${env} now runs ${describeScaling(result.scaling)} (${ready.readyReplicas} of ${ready.desiredReplicas} ready).`,
    details: { model, env, version: `v${result.version}`, colour: result.colour, replicas: describeScaling(result.scaling) },
  };
};
