import type Database from 'better-sqlite3';
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
import { clampLimit, fromJson, toJson, withoutAbsent } from '../shared/sql-values.js';

interface JobRow {
  id: string;
  kind: string;
  args: string;
  status: string;
  requested_by: string;
  conversation: string;
  text: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  attempts: number;
  worker_id: string | null;
  progress: string | null;
  result: string | null;
  error: string | null;
  reply_ref: string | null;
}

function toJobRecord(row: JobRow): JobRecord {
  return withoutAbsent({
    id: row.id,
    kind: row.kind as JobActionName,
    args: fromJson<Record<string, unknown>>(row.args),
    status: row.status as JobStatus,
    requestedBy: fromJson<Identity>(row.requested_by),
    conversation: fromJson<ConversationRef>(row.conversation),
    text: row.text,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    attempts: row.attempts,
    workerId: row.worker_id,
    progress: fromJson<JobProgress>(row.progress),
    result: fromJson<JobResult>(row.result),
    error: row.error,
    replyRef: row.reply_ref,
  } as JobRecord);
}

/** The statuses are constants, so inlining them keeps every "not finished yet" guard identical. */
const NOT_TERMINAL = `status NOT IN (${TERMINAL_JOB_STATUSES.map((s) => `'${s}'`).join(', ')})`;

export class SqliteJobStore implements JobStore {
  private readonly insertJob;
  private readonly selectJob;
  private readonly updateActive;
  private readonly updateProgress;
  private readonly updateReplyRef;
  private readonly finishOnce;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date,
  ) {
    this.insertJob = db.prepare<[Record<string, unknown>]>(
      `INSERT INTO jobs (id, kind, args, status, requested_by, conversation, text, created_at)
       VALUES (@id, @kind, @args, 'queued', @requested_by, @conversation, @text, @created_at)`,
    );
    this.selectJob = db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?');
    // A job cancelled while queued must not come back to life when a worker picks it up late.
    // attempts only grows: a stale report from an earlier attempt must not hide later ones.
    this.updateActive = db.prepare<[number, string, string, string]>(
      `UPDATE jobs SET status = 'active', attempts = MAX(attempts, ?), worker_id = ?, started_at = COALESCE(started_at, ?)
       WHERE id = ? AND ${NOT_TERMINAL}`,
    );
    this.updateProgress = db.prepare<[string, string]>(`UPDATE jobs SET progress = ? WHERE id = ? AND ${NOT_TERMINAL}`);
    this.updateReplyRef = db.prepare<[string, string]>('UPDATE jobs SET reply_ref = ? WHERE id = ?');
    const updateFinished = db.prepare<[string, string, string | null, string | null, string]>(
      `UPDATE jobs SET status = ?, finished_at = ?, result = ?, error = ? WHERE id = ? AND ${NOT_TERMINAL}`,
    );
    // The guarded UPDATE is the compare-and-set that makes finishing happen once even when a killed
    // worker's retry and the original both report; IMMEDIATE keeps the not-found check in the same snapshot.
    this.finishOnce = db.transaction((id: string, outcome: JobOutcome): boolean => {
      const result = outcome.status === 'completed' ? toJson(outcome.result) : null;
      const error = outcome.status === 'completed' ? null : outcome.error;
      const { changes } = updateFinished.run(outcome.status, this.now().toISOString(), result, error, id);
      if (changes === 0) this.requireJob(id);
      return changes === 1;
    });
  }

  async create(job: NewJob): Promise<JobRecord> {
    const row = {
      id: job.id,
      kind: job.kind,
      args: JSON.stringify(job.args),
      requested_by: JSON.stringify(job.requestedBy),
      conversation: JSON.stringify(job.conversation),
      text: job.text,
      created_at: this.now().toISOString(),
    };
    try {
      this.insertJob.run(row);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new ConflictError(`A job with id ${job.id} already exists.`);
      }
      throw error;
    }
    return toJobRecord(this.requireJob(job.id));
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const row = this.selectJob.get(id);
    return row && toJobRecord(row);
  }

  async list(filter: JobFilter = {}): Promise<JobRecord[]> {
    const statuses = filter.status;
    if (statuses?.length === 0) return [];
    const where = statuses ? `WHERE status IN (${statuses.map(() => '?').join(', ')})` : '';
    // rowid breaks ties between jobs created in the same millisecond, keeping newest first stable.
    const rows = this.db
      .prepare<unknown[], JobRow>(`SELECT * FROM jobs ${where} ORDER BY created_at DESC, rowid DESC LIMIT ?`)
      .all(...(statuses ?? []), clampLimit(filter.limit));
    return rows.map(toJobRecord);
  }

  async markActive(id: string, attempt: number, workerId: string): Promise<void> {
    const { changes } = this.updateActive.run(attempt, workerId, this.now().toISOString(), id);
    if (changes === 0) this.requireJob(id);
  }

  async recordProgress(id: string, progress: JobProgress): Promise<void> {
    const { changes } = this.updateProgress.run(JSON.stringify(progress), id);
    if (changes === 0) this.requireJob(id);
  }

  async finish(id: string, outcome: JobOutcome): Promise<boolean> {
    return this.finishOnce.immediate(id, outcome);
  }

  async setReplyRef(id: string, replyRef: string): Promise<void> {
    const { changes } = this.updateReplyRef.run(replyRef, id);
    if (changes === 0) this.requireJob(id);
  }

  private requireJob(id: string): JobRow {
    const row = this.selectJob.get(id);
    if (!row) throw new NotFoundError(`There is no job ${id}; \`status\` lists recent jobs.`);
    return row;
  }
}
