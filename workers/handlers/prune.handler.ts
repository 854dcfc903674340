import { pruneModel } from '../retention/model-retention.js';
import type { JobHandler } from './handler-deps.js';
import { retentionOf } from './retention-deps.js';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const list = (versions: readonly number[]) => versions.map((v) => `v${v}`).join(', ');

/** Removes a model's versions older than the newest `keep` (the dispatcher pins it), except deployed ones, and files no version uses. */
export const pruneHandler: JobHandler<'prune'> = async (action, job, context, deps) => {
  const { model } = action.args;
  const retention = retentionOf(deps);
  const keep = action.args.keep ?? retention.policy.keepVersions;
  await context.reportProgress({ percent: 30, message: `pruning ${model} to its newest ${keep} versions` });
  const outcome = await pruneModel(retention, model, keep, retention.policy.orphanMinutes);
  const deleted = outcome.deleted.length > 0 ? `deleted ${list(outcome.deleted)}` : 'no version to delete';
  const deployed = outcome.keptDeployed.length > 0 ? `; kept ${list(outcome.keptDeployed)}, which ${outcome.keptDeployed.length === 1 ? 'is' : 'are'} deployed` : '';
  const orphans = outcome.orphans > 0 ? `; removed ${outcome.orphans} unused job ${outcome.orphans === 1 ? 'directory' : 'directories'}` : '';
  return {
    summary: `Pruned ${model}, keeping the newest ${keep}: ${deleted}${deployed}${orphans} (${mb(outcome.bytes)} freed).`,
    details: { model, keep, deleted: list(outcome.deleted) || 'none', 'kept (deployed)': list(outcome.keptDeployed) || 'none', freed: mb(outcome.bytes) },
  };
};
