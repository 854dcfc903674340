import type { AuditEntry, AuditFilter, AuditRecord, AuditVerification } from './audit-record.js';

export interface AuditLog {
  /** Appends one record, chained to the newest; safe across processes sharing the store. */
  append(entry: AuditEntry): Promise<AuditRecord>;
  /** Newest first. */
  query(filter?: AuditFilter): Promise<AuditRecord[]>;
  verify(): Promise<AuditVerification>;
  /** Deletes records older than the cutoff, keeping the chain verifiable from the newest pruned hash. */
  prune(olderThan: Date): Promise<number>;
}
