import { deployedVersionRefusal, deployedVersions, PermanentJobError, type JobResult } from '../../core/index.js';
import { deleteVersionFiles } from '../retention/model-retention.js';
import type { JobHandler } from './handler-deps.js';
import { retentionOf } from './retention-deps.js';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * Deletes one version (pinned and checked by the dispatcher) and its files. Deployments
 * are checked again here: one may have happened while the request waited for its confirmation.
 */
export const deleteHandler: JobHandler<'delete'> = async (action, job, context, deps): Promise<JobResult> => {
  const { model } = action.args;
  const number = Number(action.args.version);
  const retention = retentionOf(deps);
  const version = await deps.store.registry.getVersion(model, number);
  // A retry after the first attempt deleted it finds nothing left to do.
  if (!version) return { summary: `${model} v${number} is deleted (it was no longer in the registry).`, details: { model, version: `v${number}` } };
  const environments = (await deployedVersions(deps.store.deployments, model, retention.environments)).get(number);
  if (environments) throw new PermanentJobError(deployedVersionRefusal(model, number, environments));
  await context.reportProgress({ percent: 50, message: `deleting ${model} v${number} and its files` });
  const bytes = await deleteVersionFiles(retention, version);
  return { summary: `Deleted ${model} v${number} and its files (${mb(bytes)} freed).`, details: { model, version: `v${number}`, freed: mb(bytes) } };
};
