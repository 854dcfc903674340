import type { DeploymentChange, DeploymentRevision } from '../../core/index.js';
import { withoutAbsent } from './sql-values.js';

/** A deployment_revisions row; `at` is ISO text in SQLite and a Date from pg's timestamptz. */
export interface RevisionRow {
  model: string;
  env: string;
  revision: number;
  version: number;
  replicas: number | null;
  min_replicas: number | null;
  max_replicas: number | null;
  change: string;
  job_id: string;
  requested_by: string;
  at: string | Date;
}

export function toRevision(row: RevisionRow): DeploymentRevision {
  return withoutAbsent({
    revision: row.revision,
    model: row.model,
    env: row.env,
    version: row.version,
    replicas: row.replicas,
    min: row.min_replicas,
    max: row.max_replicas,
    change: row.change as DeploymentChange,
    jobId: row.job_id,
    by: row.requested_by,
    at: typeof row.at === 'string' ? row.at : row.at.toISOString(),
  } as DeploymentRevision);
}
