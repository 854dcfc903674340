import type { AuditEntry, AuditFilter, AuditPageQuery, AuditRecord, AuditVerification } from './audit-record.js';

export interface AuditLog {
  /** Appends one record, chained to the newest; safe across processes sharing the store. */
  append(entry: AuditEntry): Promise<AuditRecord>;
  /** Newest first. */
  query(filter?: AuditFilter): Promise<AuditRecord[]>;
  /**
   * Oldest first: the matching records with seq after `afterSeq`, at most `limit`. The cursor is the
   * sequence, so paging through a log that grows or is pruned meanwhile never repeats or skips a record.
   */
  page(query: AuditPageQuery): Promise<AuditRecord[]>;
  verify(): Promise<AuditVerification>;
  /** Deletes records older than the cutoff, keeping the chain verifiable from the newest pruned hash. */
  prune(olderThan: Date): Promise<number>;
}
