import type Database from 'better-sqlite3';
import { verifyAuditChain } from '../../core/index.js';
import type { AuditLog } from '../../core/index.js';
import type { AuditEntry, AuditFilter, AuditPageQuery, AuditRecord, AuditVerification } from '../../core/index.js';
import { ConflictError } from '../../core/index.js';
import { auditPageQuery, auditQuery } from './audit-query.js';
import { toAuditRecord, toAuditRecords, toAuditRow, type AuditRow } from './audit-row.js';
import { sealAuditRecord } from '../shared/seal-audit-record.js';

interface ChainPoint {
  seq: number;
  hash: string;
}

/**
 * A hash-chained, append-only log. Every write runs in an IMMEDIATE transaction, so appends from
 * the bot and worker processes are serialised on the file's write lock and form one chain.
 */
export class SqliteAuditLog implements AuditLog {
  private readonly appendOne;
  private readonly verifyAll;
  private readonly pruneBefore;

  constructor(
    private readonly db: Database.Database,
    now: () => Date,
  ) {
    const selectHead = db.prepare<[], ChainPoint>('SELECT seq, hash FROM audit_head WHERE id = 1');
    const selectAnchor = db.prepare<[], ChainPoint>('SELECT seq, hash FROM audit_anchor WHERE id = 1');
    const updateHead = db.prepare<[number, string]>('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1');
    const updateAnchor = db.prepare<[number, string]>('UPDATE audit_anchor SET seq = ?, hash = ? WHERE id = 1');
    const insert = db.prepare<[AuditRow]>(
      `INSERT INTO audit_records (seq, at, prev_hash, hash, platform, workspace, user_id, user_name, channel_id, thread_id,
         text, action, args, outcome, job_id, attempt, duration_ms, detail)
       VALUES (@seq, @at, @prev_hash, @hash, @platform, @workspace, @user_id, @user_name, @channel_id, @thread_id,
         @text, @action, @args, @outcome, @job_id, @attempt, @duration_ms, @detail)`,
    );
    const selectAll = db.prepare<[], AuditRow>('SELECT * FROM audit_records ORDER BY seq');
    const selectRange = db.prepare<[number, number], AuditRow>(
      'SELECT * FROM audit_records WHERE seq > ? AND seq <= ? ORDER BY seq',
    );
    const selectFirstKept = db.prepare<[string], { seq: number | null }>(
      'SELECT MIN(seq) AS seq FROM audit_records WHERE at >= ?',
    );
    const selectHash = db.prepare<[number], { hash: string }>('SELECT hash FROM audit_records WHERE seq = ?');
    const deleteThrough = db.prepare<[number]>('DELETE FROM audit_records WHERE seq <= ?');

    const requirePoint = (point: ChainPoint | undefined, name: string): ChainPoint => {
      if (!point) throw new Error(`the audit log's ${name} row is missing; the database was altered outside opsbot`);
      return point;
    };

    this.appendOne = db.transaction((entry: AuditEntry): AuditRecord => {
      const head = requirePoint(selectHead.get(), 'head');
      const record = sealAuditRecord(entry, head.seq + 1, now().toISOString(), head.hash);
      insert.run(toAuditRow(record));
      updateHead.run(record.seq, record.hash);
      return record;
    });

    // A read transaction: anchor, head and records come from one snapshot, so an append or prune
    // by another process mid-way cannot look like tampering.
    this.verifyAll = db.transaction((): AuditVerification => {
      const anchor = selectAnchor.get();
      const head = selectHead.get();
      if (!anchor || !head) {
        const firstBadSeq = (anchor?.seq ?? 0) + 1;
        return { ok: false, checked: 0, firstBadSeq, reason: `the audit log's ${anchor ? 'head' : 'anchor'} row is missing` };
      }
      // Every stored record, not only those after the anchor: a row re-inserted below the anchor shows up too.
      return verifyAuditChain(toAuditRecords(selectAll.iterate()), anchor, head);
    });

    this.pruneBefore = db.transaction((cutoff: string): number => {
      const head = requirePoint(selectHead.get(), 'head');
      const anchor = requirePoint(selectAnchor.get(), 'anchor');
      // Delete only a prefix of records all older than the cutoff (a clock step back cannot make it
      // skip a newer one), and never the newest: the head and anchor must name a stored record.
      const firstKept = selectFirstKept.get(cutoff)?.seq ?? head.seq + 1;
      const last = Math.min(firstKept - 1, head.seq - 1);
      if (last <= anchor.seq) return 0;
      // Check what is about to go: pruning must not launder a tampered record into a fresh anchor.
      // A missing record `last` fails the check below (the run ends before it), so '' is never used.
      const newAnchor = { seq: last, hash: selectHash.get(last)?.hash ?? '' };
      const check = verifyAuditChain(toAuditRecords(selectRange.iterate(anchor.seq, last)), anchor, newAnchor);
      if (!check.ok) {
        throw new ConflictError(
          `The audit log does not verify (${check.reason}), so nothing was pruned: the evidence is kept. Run \`opsbot audit verify\`.`,
        );
      }
      const { changes } = deleteThrough.run(last);
      updateAnchor.run(newAnchor.seq, newAnchor.hash);
      return changes;
    });
  }

  async append(entry: AuditEntry): Promise<AuditRecord> {
    return this.appendOne.immediate(entry);
  }

  async query(filter: AuditFilter = {}): Promise<AuditRecord[]> {
    const { sql, params } = auditQuery(filter);
    return this.db.prepare<[Record<string, string | number>], AuditRow>(sql).all(params).map(toAuditRecord);
  }

  async page(query: AuditPageQuery): Promise<AuditRecord[]> {
    const { sql, params } = auditPageQuery(query);
    return this.db.prepare<[Record<string, string | number>], AuditRow>(sql).all(params).map(toAuditRecord);
  }

  async verify(): Promise<AuditVerification> {
    return this.verifyAll.deferred();
  }

  async prune(olderThan: Date): Promise<number> {
    return this.pruneBefore.immediate(olderThan.toISOString());
  }
}
