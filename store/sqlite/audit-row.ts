import type { AuditOutcome, AuditRecord } from '../../core/index.js';
import { fromJson, toJson, withoutAbsent } from '../shared/sql-values.js';

export interface AuditRow {
  seq: number;
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
  args: string | null;
  outcome: string;
  job_id: string | null;
  attempt: number | null;
  duration_ms: number | null;
  detail: string | null;
}

export function toAuditRow(record: AuditRecord): AuditRow {
  return {
    seq: record.seq,
    at: record.at,
    prev_hash: record.prevHash,
    hash: record.hash,
    platform: record.platform,
    workspace: record.workspace,
    user_id: record.userId,
    user_name: record.userName,
    channel_id: record.channelId ?? null,
    thread_id: record.threadId ?? null,
    text: record.text ?? null,
    action: record.action ?? null,
    args: toJson(record.args),
    outcome: record.outcome,
    job_id: record.jobId ?? null,
    attempt: record.attempt ?? null,
    duration_ms: record.durationMs ?? null,
    detail: record.detail ?? null,
  };
}

export function toAuditRecord(row: AuditRow): AuditRecord {
  return withoutAbsent({
    seq: row.seq,
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
    args: fromJson<Record<string, unknown>>(row.args),
    outcome: row.outcome as AuditOutcome,
    jobId: row.job_id,
    attempt: row.attempt,
    durationMs: row.duration_ms,
    detail: row.detail,
  } as AuditRecord);
}

/** Maps lazily, so verification streams a large log instead of loading it. */
export function* toAuditRecords(rows: Iterable<AuditRow>): Generator<AuditRecord> {
  for (const row of rows) yield toAuditRecord(row);
}
