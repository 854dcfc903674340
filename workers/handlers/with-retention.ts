import type { ActionOf, JobActionName } from '../../core/index.js';
import { pruneModel } from '../retention/model-retention.js';
import type { JobHandler } from './handler-deps.js';
import { retentionOf } from './retention-deps.js';

type ModelJob = Extract<JobActionName, 'train' | 'tune' | 'quantize'>;

/**
 * A handler that makes versions, with the retention policy applied after each success:
 * the model's newest versions and every deployed one are kept, the rest removed, and
 * files no version uses (a cancelled tune's trials, a failed attempt's directory)
 * swept once their job has finished. A failure to prune is logged; the version stands.
 */
export function withRetention<K extends ModelJob>(handler: JobHandler<K>): JobHandler<K> {
  return async (action, job, context, deps) => {
    const result = await handler(action, job, context, deps);
    const { model } = (action as ActionOf<ModelJob>).args;
    const retention = retentionOf(deps);
    try {
      await pruneModel(retention, model, retention.policy.keepVersions, retention.policy.orphanMinutes);
    } catch (error) {
      deps.log.warn({ err: error, model }, 'applying the retention policy failed; the new version is registered');
    }
    return result;
  };
}
