import type { Pool } from 'pg';
import type {
  DeploymentRevision,
  DeploymentStore,
  NewDeploymentRevision,
} from '../../core/index.js';
import { clampLimit } from '../shared/sql-values.js';
import { toRevision, type RevisionRow } from '../shared/revision-row.js';
import { inTransaction } from './transaction.js';

/** Revisions are numbered per model and environment (1, 2, 3…), like a Kubernetes rollout history. */
export class PostgresDeploymentStore implements DeploymentStore {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly now: () => Date,
  ) {}

  async current(model: string, env: string): Promise<DeploymentRevision | undefined> {
    const [revision] = await this.history(model, env, 1);
    return revision;
  }

  async history(model: string, env: string, limit?: number): Promise<DeploymentRevision[]> {
    const { rows } = await this.pool.query<RevisionRow>(
      `SELECT * FROM ${this.schema}.deployment_revisions WHERE model = $1 AND env = $2 ORDER BY revision DESC LIMIT $3`,
      [model, env, clampLimit(limit)],
    );
    return rows.map(toRevision);
  }

  /** Next revision under an advisory lock per model and environment; a jobId seen before returns its revision. */
  async record(input: NewDeploymentRevision): Promise<DeploymentRevision> {
    const row = await inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [
        `${this.schema}.deployment_revisions`,
        JSON.stringify([input.model, input.env]),
      ]);
      const inserted = await client.query<RevisionRow>(
        `INSERT INTO ${this.schema}.deployment_revisions
           (model, env, revision, version, replicas, min_replicas, max_replicas, change, job_id, requested_by, at)
         SELECT $1::text, $2::text, COALESCE(MAX(revision), 0) + 1, $3::integer, $4::integer, $5::integer, $6::integer,
           $7::text, $8::text, $9::text, $10::timestamptz
         FROM ${this.schema}.deployment_revisions WHERE model = $1::text AND env = $2::text
         ON CONFLICT (job_id) DO NOTHING
         RETURNING *`,
        [
          input.model,
          input.env,
          input.version,
          input.replicas ?? null,
          input.min ?? null,
          input.max ?? null,
          input.change,
          input.jobId,
          input.by,
          this.now().toISOString(),
        ],
      );
      if (inserted.rows[0]) return inserted.rows[0];
      const existing = await client.query<RevisionRow>(`SELECT * FROM ${this.schema}.deployment_revisions WHERE job_id = $1`, [input.jobId]);
      return existing.rows[0]!;
    });
    return toRevision(row);
  }
}
