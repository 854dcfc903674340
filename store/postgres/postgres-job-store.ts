import type { Pool } from 'pg';
import type { JobActionName } from '../../core/index.js';
import { ConflictError, NotFoundError } from '../../core/index.js';
import type { ConversationRef, Identity } from '../../core/index.js';
import {
  TERMINAL_JOB_STATUSES,
  type JobFilter,
  type JobOutcome,
  type JobProgress,
  type JobRecord,
  type JobResult,
  type JobStatus,
  type JobStore,
  type NewJob,
} from '../../core/index.js';
import { clampLimit, toJson, withoutAbsent } from '../shared/sql-values.js';

interface JobRow {
  id: string;
  kind: string;
  args: Record<string, unknown>;
  status: string;
  requested_by: Identity;
  conversation: ConversationRef;
  text: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  attempts: number;
  worker_id: string | null;
  progress: JobProgress | null;
  result: JobResult | null;
  error: string | null;
  reply_ref: string | null;
}

function toJobRecord(row: JobRow): JobRecord {
  return withoutAbsent({
    id: row.id,
    kind: row.kind as JobActionName,
    args: row.args,
    status: row.status as JobStatus,
    requestedBy: row.requested_by,
    conversation: row.conversation,
    text: row.text,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString(),
    finishedAt: row.finished_at?.toISOString(),
    attempts: row.attempts,
    workerId: row.worker_id,
    progress: row.progress,
    result: row.result,
    error: row.error,
    replyRef: row.reply_ref,
  } as JobRecord);
}

/** The statuses are constants, so inlining them keeps every "not finished yet" guard identical. */
const NOT_TERMINAL = `status NOT IN (${TERMINAL_JOB_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** Postgres's SQLSTATE for a duplicate key. */
const UNIQUE_VIOLATION = '23505';

export class PostgresJobStore implements JobStore {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly now: () => Date,
  ) {}

  async create(job: NewJob): Promise<JobRecord> {
    try {
      const { rows } = await this.pool.query<JobRow>(
        `INSERT INTO ${this.schema}.jobs (id, kind, args, status, requested_by, conversation, text, created_at)
         VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7) RETURNING *`,
        [
          job.id,
          job.kind,
          JSON.stringify(job.args),
          JSON.stringify(job.requestedBy),
          JSON.stringify(job.conversation),
          job.text,
          this.now().toISOString(),
        ],
      );
      return toJobRecord(rows[0]!);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new ConflictError(`A job with id ${job.id} already exists.`);
      }
      throw error;
    }
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const { rows } = await this.pool.query<JobRow>(`SELECT * FROM ${this.schema}.jobs WHERE id = $1`, [id]);
    return rows[0] && toJobRecord(rows[0]);
  }

  async list(filter: JobFilter = {}): Promise<JobRecord[]> {
    const statuses = filter.status;
    if (statuses?.length === 0) return [];
    const { rows } = await this.pool.query<JobRow>(
      `SELECT * FROM ${this.schema}.jobs WHERE ($1::text[] IS NULL OR status = ANY($1::text[]))
       ORDER BY created_at DESC, position DESC LIMIT $2`,
      [statuses ?? null, clampLimit(filter.limit)],
    );
    return rows.map(toJobRecord);
  }

  /**
   * A job cancelled while queued must not come back to life when a worker picks it up late, and
   * attempts only grows: a stale report from an earlier attempt must not hide later ones.
   */
  async markActive(id: string, attempt: number, workerId: string): Promise<void> {
    await this.updateOrRequire(
      `UPDATE ${this.schema}.jobs SET status = 'active', attempts = GREATEST(attempts, $1), worker_id = $2,
         started_at = COALESCE(started_at, $3) WHERE id = $4 AND ${NOT_TERMINAL}`,
      [attempt, workerId, this.now().toISOString(), id],
      id,
    );
  }

  async recordProgress(id: string, progress: JobProgress): Promise<void> {
    await this.updateOrRequire(
      `UPDATE ${this.schema}.jobs SET progress = $1 WHERE id = $2 AND ${NOT_TERMINAL}`,
      [JSON.stringify(progress), id],
      id,
    );
  }

  /**
   * The guarded UPDATE is the compare-and-set that makes finishing happen once even when a killed
   * worker's retry and the original both report: the second waits for the first's row lock, then
   * sees a terminal status and matches nothing.
   */
  async finish(id: string, outcome: JobOutcome): Promise<boolean> {
    const result = outcome.status === 'completed' ? toJson(outcome.result) : null;
    const error = outcome.status === 'completed' ? null : outcome.error;
    return this.updateOrRequire(
      `UPDATE ${this.schema}.jobs SET status = $1, finished_at = $2, result = $3, error = $4 WHERE id = $5 AND ${NOT_TERMINAL}`,
      [outcome.status, this.now().toISOString(), result, error, id],
      id,
    );
  }

  async setReplyRef(id: string, replyRef: string): Promise<void> {
    await this.updateOrRequire(`UPDATE ${this.schema}.jobs SET reply_ref = $1 WHERE id = $2`, [replyRef, id], id);
  }

  /** Runs an UPDATE of one job; true when it changed the row, false when the job exists but the guard held. */
  private async updateOrRequire(sql: string, params: unknown[], id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(sql, params);
    if (rowCount) return true;
    // Jobs are never deleted, so a job missing now was missing at the UPDATE too.
    const { rows } = await this.pool.query(`SELECT 1 FROM ${this.schema}.jobs WHERE id = $1`, [id]);
    if (rows.length === 0) throw new NotFoundError(`There is no job ${id}; \`status\` lists recent jobs.`);
    return false;
  }
}
