import { createHash } from 'node:crypto';
import type { AuditRecord, AuditVerification } from './audit-record.js';

/** The hash the first record of an empty log chains to. */
export const GENESIS_HASH = '0'.repeat(64);

/** Longest text kept in a record: enough to read the command, bounded so abuse cannot bloat the log. */
export const MAX_AUDIT_TEXT = 2000;

/**
 * The text kept in a record: bounded, and with NUL shown as `\u0000` because Postgres
 * text columns cannot hold it (and a record must read the same in every store).
 */
export function truncateForAudit(text: string): string {
  const visible = text.replaceAll('\u0000', '\\u0000');
  if (visible.length <= MAX_AUDIT_TEXT) return visible;
  return `${visible.slice(0, MAX_AUDIT_TEXT)}…[truncated, ${visible.length} characters in all]`;
}

type Hashable = Omit<AuditRecord, 'hash'>;

/** Fields in a fixed order, so the hash does not depend on how a store returns columns. */
function canonical(record: Hashable): string {
  return JSON.stringify([
    record.seq,
    record.at,
    record.prevHash,
    record.platform,
    record.workspace,
    record.userId,
    record.userName,
    record.channelId ?? null,
    record.threadId ?? null,
    record.text ?? null,
    record.action ?? null,
    record.args === undefined ? null : sortKeys(record.args),
    record.outcome,
    record.jobId ?? null,
    record.attempt ?? null,
    record.durationMs ?? null,
    record.detail ?? null,
  ]);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

export function hashAuditRecord(record: Hashable): string {
  return createHash('sha256').update(canonical(record)).digest('hex');
}

/**
 * Checks a run of records, oldest first. `anchor` is the hash the first record must
 * chain to (the genesis hash, or the last pruned record's hash); `head` is the stored
 * hash and seq of the newest record, which catches deletion at the end.
 */
export function verifyAuditChain(
  records: Iterable<AuditRecord>,
  anchor: { seq: number; hash: string },
  head: { seq: number; hash: string } | undefined,
): AuditVerification {
  let expectedPrev = anchor.hash;
  let expectedSeq = anchor.seq + 1;
  let checked = 0;
  let last: AuditRecord | undefined;
  for (const record of records) {
    if (record.seq !== expectedSeq) {
      return { ok: false, checked, firstBadSeq: expectedSeq, reason: `record ${expectedSeq} is missing (next stored record is ${record.seq})` };
    }
    if (record.prevHash !== expectedPrev) {
      return { ok: false, checked, firstBadSeq: record.seq, reason: `record ${record.seq} does not chain to the record before it` };
    }
    if (hashAuditRecord(record) !== record.hash) {
      return { ok: false, checked, firstBadSeq: record.seq, reason: `record ${record.seq} was modified (its content does not match its hash)` };
    }
    expectedPrev = record.hash;
    expectedSeq += 1;
    checked += 1;
    last = record;
  }
  if (head && (last?.seq ?? anchor.seq) !== head.seq) {
    const firstBadSeq = (last?.seq ?? anchor.seq) + 1;
    return { ok: false, checked, firstBadSeq, reason: `records ${firstBadSeq} to ${head.seq} are missing from the end of the log` };
  }
  if (head && last && last.hash !== head.hash) {
    return { ok: false, checked, firstBadSeq: last.seq, reason: `record ${last.seq} does not match the recorded head of the log` };
  }
  return { ok: true, checked };
}
