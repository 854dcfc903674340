import type Database from 'better-sqlite3';
import type {
  DeploymentRevision,
  DeploymentStore,
  NewDeploymentRevision,
} from '../../core/index.js';
import { clampLimit } from '../shared/sql-values.js';
import { toRevision, type RevisionRow } from '../shared/revision-row.js';

/** Revisions are numbered per model and environment (1, 2, 3…), like a Kubernetes rollout history. */
export class SqliteDeploymentStore implements DeploymentStore {
  private readonly selectHistory;
  private readonly recordOnce;

  constructor(db: Database.Database, now: () => Date) {
    this.selectHistory = db.prepare<[string, string, number], RevisionRow>(
      'SELECT * FROM deployment_revisions WHERE model = ? AND env = ? ORDER BY revision DESC LIMIT ?',
    );
    const selectByJob = db.prepare<[string], RevisionRow>('SELECT * FROM deployment_revisions WHERE job_id = ?');
    const selectNext = db.prepare<[string, string], { next: number }>(
      'SELECT COALESCE(MAX(revision), 0) + 1 AS next FROM deployment_revisions WHERE model = ? AND env = ?',
    );
    const insert = db.prepare<[RevisionRow]>(
      `INSERT INTO deployment_revisions (model, env, revision, version, replicas, min_replicas, max_replicas, change, job_id, requested_by, at)
       VALUES (@model, @env, @revision, @version, @replicas, @min_replicas, @max_replicas, @change, @job_id, @requested_by, @at)`,
    );
    // IMMEDIATE: the next revision number and the jobId check must see the same state as the insert,
    // across every process writing to the file.
    this.recordOnce = db.transaction((input: NewDeploymentRevision): RevisionRow => {
      const existing = selectByJob.get(input.jobId);
      if (existing) return existing;
      const row: RevisionRow = {
        model: input.model,
        env: input.env,
        revision: selectNext.get(input.model, input.env)!.next,
        version: input.version,
        replicas: input.replicas ?? null,
        min_replicas: input.min ?? null,
        max_replicas: input.max ?? null,
        change: input.change,
        job_id: input.jobId,
        requested_by: input.by,
        at: now().toISOString(),
      };
      insert.run(row);
      return row;
    });
  }

  async current(model: string, env: string): Promise<DeploymentRevision | undefined> {
    const [row] = this.selectHistory.all(model, env, 1);
    return row && toRevision(row);
  }

  async history(model: string, env: string, limit?: number): Promise<DeploymentRevision[]> {
    return this.selectHistory.all(model, env, clampLimit(limit)).map(toRevision);
  }

  async record(revision: NewDeploymentRevision): Promise<DeploymentRevision> {
    return toRevision(this.recordOnce.immediate(revision));
  }
}
