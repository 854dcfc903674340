import type { Pool } from 'pg';
import type { ConversationRef } from '../../core/index.js';
import type { ModelRegistry, ModelVersion, NewModelVersion } from '../../core/index.js';
import { toJson, withoutAbsent } from '../shared/sql-values.js';
import { inTransaction } from './transaction.js';

interface ModelVersionRow {
  model: string;
  version: number;
  created_at: Date;
  created_by: string;
  job_id: string;
  dataset: string;
  dataset_hash: string;
  metrics: Record<string, number>;
  params: Record<string, unknown>;
  artifact_path: string;
  conversation: ConversationRef | null;
}

function toModelVersion(row: ModelVersionRow): ModelVersion {
  return withoutAbsent({
    model: row.model,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    jobId: row.job_id,
    dataset: row.dataset,
    datasetHash: row.dataset_hash,
    metrics: row.metrics,
    params: row.params,
    artifactPath: row.artifact_path,
    conversation: row.conversation ?? undefined,
  });
}

export class PostgresModelRegistry implements ModelRegistry {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly now: () => Date,
  ) {}

  async listModels(): Promise<string[]> {
    const { rows } = await this.pool.query<{ model: string }>(`SELECT DISTINCT model FROM ${this.schema}.model_versions ORDER BY model`);
    return rows.map((row) => row.model);
  }

  async listVersions(model: string): Promise<ModelVersion[]> {
    const { rows } = await this.pool.query<ModelVersionRow>(
      `SELECT * FROM ${this.schema}.model_versions WHERE model = $1 ORDER BY version`,
      [model],
    );
    return rows.map(toModelVersion);
  }

  async getVersion(model: string, version: number): Promise<ModelVersion | undefined> {
    const { rows } = await this.pool.query<ModelVersionRow>(
      `SELECT * FROM ${this.schema}.model_versions WHERE model = $1 AND version = $2`,
      [model, version],
    );
    return rows[0] && toModelVersion(rows[0]);
  }

  /**
   * Takes max+1 under an advisory lock per model, so processes registering the same model take
   * turns (the (model, version) key would reject a duplicate anyway). A jobId already registered,
   * by a retried training job, inserts nothing and returns the first version instead.
   */
  async registerVersion(input: NewModelVersion): Promise<ModelVersion> {
    const row = await inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [`${this.schema}.model_versions`, input.model]);
      const inserted = await client.query<ModelVersionRow>(
        `INSERT INTO ${this.schema}.model_versions
           (model, version, created_at, created_by, job_id, dataset, dataset_hash, metrics, params, artifact_path, conversation)
         SELECT $1::text,
           (SELECT COALESCE(MAX(version), 0) + 1 FROM (
              SELECT version FROM ${this.schema}.model_versions WHERE model = $1::text
              UNION ALL SELECT version FROM ${this.schema}.deleted_model_versions WHERE model = $1::text) AS taken),
           $2::timestamptz, $3::text, $4::text, $5::text, $6::text, $7::json, $8::json, $9::text, $10::json
         ON CONFLICT (job_id) DO NOTHING
         RETURNING *`,
        [
          input.model,
          this.now().toISOString(),
          input.createdBy,
          input.jobId,
          input.dataset,
          input.datasetHash,
          JSON.stringify(input.metrics),
          JSON.stringify(input.params),
          input.artifactPath,
          toJson(input.conversation),
        ],
      );
      if (inserted.rows[0]) return inserted.rows[0];
      const existing = await client.query<ModelVersionRow>(`SELECT * FROM ${this.schema}.model_versions WHERE job_id = $1`, [input.jobId]);
      return existing.rows[0]!;
    });
    return toModelVersion(row);
  }

  /** Under the same per-model lock as registration, so a number is either taken by a version or remembered as deleted. */
  async deleteVersion(model: string, version: number): Promise<ModelVersion | undefined> {
    const row = await inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [`${this.schema}.model_versions`, model]);
      const deleted = await client.query<ModelVersionRow>(`DELETE FROM ${this.schema}.model_versions WHERE model = $1 AND version = $2 RETURNING *`, [model, version]);
      if (!deleted.rows[0]) return undefined;
      await client.query(
        `INSERT INTO ${this.schema}.deleted_model_versions (model, version, deleted_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [model, version, this.now().toISOString()],
      );
      return deleted.rows[0];
    });
    return row && toModelVersion(row);
  }
}
