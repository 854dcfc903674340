import type Database from 'better-sqlite3';
import type { ConversationRef } from '../../core/index.js';
import type { ModelRegistry, ModelVersion, NewModelVersion } from '../../core/index.js';
import { fromJson, toJson, withoutAbsent } from '../shared/sql-values.js';

interface ModelVersionRow {
  model: string;
  version: number;
  created_at: string;
  created_by: string;
  job_id: string;
  dataset: string;
  dataset_hash: string;
  metrics: string;
  params: string;
  artifact_path: string;
  conversation: string | null;
}

function toModelVersion(row: ModelVersionRow): ModelVersion {
  return withoutAbsent({
    model: row.model,
    version: row.version,
    createdAt: row.created_at,
    createdBy: row.created_by,
    jobId: row.job_id,
    dataset: row.dataset,
    datasetHash: row.dataset_hash,
    metrics: fromJson<Record<string, number>>(row.metrics),
    params: fromJson<Record<string, unknown>>(row.params),
    artifactPath: row.artifact_path,
    conversation: fromJson<ConversationRef>(row.conversation),
  });
}

export class SqliteModelRegistry implements ModelRegistry {
  private readonly selectModels;
  private readonly selectVersions;
  private readonly selectVersion;
  private readonly selectByJob;
  private readonly selectNextVersion;
  private readonly insertVersion;
  private readonly register;
  private readonly remove;

  constructor(db: Database.Database, now: () => Date) {
    this.selectModels = db.prepare<[], { model: string }>('SELECT DISTINCT model FROM model_versions ORDER BY model');
    this.selectVersions = db.prepare<[string], ModelVersionRow>('SELECT * FROM model_versions WHERE model = ? ORDER BY version');
    this.selectVersion = db.prepare<[string, number], ModelVersionRow>('SELECT * FROM model_versions WHERE model = ? AND version = ?');
    this.selectByJob = db.prepare<[string], ModelVersionRow>('SELECT * FROM model_versions WHERE job_id = ?');
    this.selectNextVersion = db.prepare<{ model: string }, { next: number }>(
      `SELECT COALESCE(MAX(version), 0) + 1 AS next FROM
         (SELECT version FROM model_versions WHERE model = @model UNION ALL SELECT version FROM deleted_model_versions WHERE model = @model)`,
    );
    const deleteRow = db.prepare<[string, number]>('DELETE FROM model_versions WHERE model = ? AND version = ?');
    const insertDeleted = db.prepare<[string, number, string]>('INSERT OR IGNORE INTO deleted_model_versions (model, version, deleted_at) VALUES (?, ?, ?)');
    this.remove = db.transaction((model: string, version: number): ModelVersionRow | undefined => {
      const row = this.selectVersion.get(model, version);
      if (!row) return undefined;
      deleteRow.run(model, version);
      insertDeleted.run(model, version, now().toISOString());
      return row;
    });
    this.insertVersion = db.prepare<[ModelVersionRow]>(
      `INSERT INTO model_versions (model, version, created_at, created_by, job_id, dataset, dataset_hash, metrics, params, artifact_path, conversation)
       VALUES (@model, @version, @created_at, @created_by, @job_id, @dataset, @dataset_hash, @metrics, @params, @artifact_path, @conversation)`,
    );
    // Read-then-write under IMMEDIATE: two processes registering the same model cannot both take max+1,
    // and a retried training job finds the version its first attempt registered.
    this.register = db.transaction((input: NewModelVersion): ModelVersionRow => {
      const existing = this.selectByJob.get(input.jobId);
      if (existing) return existing;
      const row: ModelVersionRow = {
        model: input.model,
        version: this.selectNextVersion.get({ model: input.model })!.next,
        created_at: now().toISOString(),
        created_by: input.createdBy,
        job_id: input.jobId,
        dataset: input.dataset,
        dataset_hash: input.datasetHash,
        metrics: JSON.stringify(input.metrics),
        params: JSON.stringify(input.params),
        artifact_path: input.artifactPath,
        conversation: toJson(input.conversation),
      };
      this.insertVersion.run(row);
      return row;
    });
  }

  async listModels(): Promise<string[]> {
    return this.selectModels.all().map((row) => row.model);
  }

  async listVersions(model: string): Promise<ModelVersion[]> {
    return this.selectVersions.all(model).map(toModelVersion);
  }

  async getVersion(model: string, version: number): Promise<ModelVersion | undefined> {
    const row = this.selectVersion.get(model, version);
    return row && toModelVersion(row);
  }

  async registerVersion(input: NewModelVersion): Promise<ModelVersion> {
    return toModelVersion(this.register.immediate(input));
  }

  async deleteVersion(model: string, version: number): Promise<ModelVersion | undefined> {
    const row = this.remove.immediate(model, version);
    return row && toModelVersion(row);
  }
}
