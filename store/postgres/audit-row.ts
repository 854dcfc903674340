import type { AuditOutcome, AuditRecord } from '../../core/index.js';
import { toJson, withoutAbsent } from '../shared/sql-values.js';

/** An audit_records row as pg returns it: bigint as a string, json already parsed. */
export interface PostgresAuditRow {
  seq: string;
  at: string;
  prev_hash: string;
  hash: string;
  platform: string;
  workspace: string;
  user_id: string;
  user_name: string;
  channel_id: string | null;
  thread_id: string | null;
  text: string | null;
  action: string | null;
  args: Record<string, unknown> | null;
  outcome: string;
  job_id: string | null;
  attempt: number | null;
  duration_ms: number | null;
  detail: string | null;
}

/** The column list every audit SELECT reads, so a row maps the same whichever query read it. */
export const AUDIT_COLUMNS = `seq, at, prev_hash, hash, platform, workspace, user_id, user_name, channel_id, thread_id,
  text, action, args, outcome, job_id, attempt, duration_ms, detail`;

export function insertAuditRecordSql(schema: string): string {
  return `INSERT INTO ${schema}.audit_records (${AUDIT_COLUMNS}, at_time)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19::timestamptz)`;
}

/** Parameters for insertAuditRecordSql: `at` twice, as the hashed text and as the instant. */
export function auditRecordParams(record: AuditRecord): unknown[] {
  return [
    record.seq,
    record.at,
    record.prevHash,
    record.hash,
    record.platform,
    record.workspace,
    record.userId,
    record.userName,
    record.channelId ?? null,
    record.threadId ?? null,
    record.text ?? null,
    record.action ?? null,
    toJson(record.args),
    record.outcome,
    record.jobId ?? null,
    record.attempt ?? null,
    record.durationMs ?? null,
    record.detail ?? null,
    record.at,
  ];
}

export function toAuditRecord(row: PostgresAuditRow): AuditRecord {
  return withoutAbsent({
    seq: Number(row.seq),
    at: row.at,
    prevHash: row.prev_hash,
    hash: row.hash,
    platform: row.platform as AuditRecord['platform'],
    workspace: row.workspace,
    userId: row.user_id,
    userName: row.user_name,
    channelId: row.channel_id,
    threadId: row.thread_id,
    text: row.text,
    action: row.action,
    args: row.args,
    outcome: row.outcome as AuditOutcome,
    jobId: row.job_id,
    attempt: row.attempt,
    durationMs: row.duration_ms,
    detail: row.detail,
  } as AuditRecord);
}
