import type { Platform } from '../identity.js';

export const AUDIT_OUTCOMES = [
  'accepted',
  'denied',
  'invalid',
  'confirmation_requested',
  'clarification_requested',
  'started',
  'retrying',
  'completed',
  'failed',
  'cancelled',
] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** What a caller hands to the audit log; the log adds sequence, time and hashes. */
export interface AuditEntry {
  platform: Platform | 'system';
  workspace: string;
  userId: string;
  userName: string;
  channelId?: string;
  threadId?: string;
  /** The original text, truncated to a bounded size. */
  text?: string;
  /** Action name, e.g. `deploy`. */
  action?: string;
  args?: Record<string, unknown>;
  outcome: AuditOutcome;
  jobId?: string;
  attempt?: number;
  durationMs?: number;
  /** Error message, result summary or worker id. */
  detail?: string;
}

/** One append-only audit row, chained to the previous row by its hash. */
export interface AuditRecord extends AuditEntry {
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  /** Matches userId, userName or the identity key. */
  user?: string;
  action?: string;
  model?: string;
  jobId?: string;
  since?: string;
  until?: string;
  /** Newest `limit` records; defaults to 20. */
  limit?: number;
}

/** Most records one page holds: an export reads a page at a time, so memory stays bounded. */
export const MAX_AUDIT_PAGE = 1000;

/** A page of an oldest-first read (an export): the filter without its newest-first limit, plus a cursor. */
export interface AuditPageQuery extends Omit<AuditFilter, 'limit'> {
  /** Only records with a greater sequence; 0 (the default) starts at the oldest. */
  afterSeq?: number;
  /** Records in the page, 1 to MAX_AUDIT_PAGE; defaults to MAX_AUDIT_PAGE. */
  limit?: number;
}

export type AuditVerification =
  | { ok: true; checked: number }
  | { ok: false; checked: number; firstBadSeq: number; reason: string };
