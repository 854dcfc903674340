import { hashAuditRecord, truncateForAudit, type AuditEntry, type AuditRecord } from '../../core/index.js';
import { fromJson, toJson, withoutAbsent } from './sql-values.js';

/**
 * Builds the record exactly as it will read back: text truncated, args round-tripped through JSON
 * (so a Date or an undefined value hashes as it is stored), absent fields left out, then hashed.
 */
export function sealAuditRecord(entry: AuditEntry, seq: number, at: string, prevHash: string): AuditRecord {
  const unsealed = withoutAbsent({
    seq,
    at,
    prevHash,
    platform: entry.platform,
    workspace: entry.workspace,
    userId: entry.userId,
    userName: entry.userName,
    channelId: entry.channelId,
    threadId: entry.threadId,
    text: entry.text === undefined ? undefined : truncateForAudit(entry.text),
    action: entry.action,
    args: fromJson<Record<string, unknown>>(toJson(entry.args)),
    outcome: entry.outcome,
    jobId: entry.jobId,
    attempt: entry.attempt,
    durationMs: entry.durationMs,
    detail: entry.detail,
  });
  return { ...unsealed, hash: hashAuditRecord(unsealed) };
}
