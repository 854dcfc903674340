import type { Pool, PoolClient } from 'pg';
import type { AuditLog } from '../../core/index.js';
import type { AuditEntry, AuditFilter, AuditPageQuery, AuditRecord, AuditVerification } from '../../core/index.js';
import { ConflictError } from '../../core/index.js';
import { sealAuditRecord } from '../shared/seal-audit-record.js';
import { auditPageQuery, auditQuery } from './audit-query.js';
import { auditRecordParams, insertAuditRecordSql, toAuditRecord, type PostgresAuditRow } from './audit-row.js';
import { inTransaction } from './transaction.js';
import { verifyStoredChain, type ChainPoint } from './verify-stored-chain.js';

type PointTable = 'audit_head' | 'audit_anchor';

/**
 * A hash-chained, append-only log shared by every process on the database. Appends lock the head
 * row, so they take turns across processes and machines and form one linear chain.
 */
export class PostgresAuditLog implements AuditLog {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly now: () => Date,
  ) {}

  async append(entry: AuditEntry): Promise<AuditRecord> {
    return inTransaction(this.pool, async (client) => {
      // FOR UPDATE waits for a concurrent append to commit, then reads the head it wrote.
      const head = await this.requirePoint(client, 'audit_head', 'FOR UPDATE');
      const record = sealAuditRecord(entry, head.seq + 1, this.now().toISOString(), head.hash);
      await client.query(insertAuditRecordSql(this.schema), auditRecordParams(record));
      await client.query(`UPDATE ${this.schema}.audit_head SET seq = $1, hash = $2 WHERE id = 1`, [record.seq, record.hash]);
      return record;
    });
  }

  async query(filter: AuditFilter = {}): Promise<AuditRecord[]> {
    const { sql, params } = auditQuery(this.schema, filter);
    const { rows } = await this.pool.query<PostgresAuditRow>(sql, params);
    return rows.map(toAuditRecord);
  }

  async page(query: AuditPageQuery): Promise<AuditRecord[]> {
    const { sql, params } = auditPageQuery(this.schema, query);
    const { rows } = await this.pool.query<PostgresAuditRow>(sql, params);
    return rows.map(toAuditRecord);
  }

  /** One snapshot for anchor, head and records, so an append or prune mid-way cannot look like tampering. */
  async verify(): Promise<AuditVerification> {
    return inTransaction(
      this.pool,
      async (client) => {
        const anchor = await this.readPoint(client, 'audit_anchor');
        const head = await this.readPoint(client, 'audit_head');
        if (!anchor || !head) {
          const firstBadSeq = (anchor?.seq ?? 0) + 1;
          return { ok: false, checked: 0, firstBadSeq, reason: `the audit log's ${anchor ? 'head' : 'anchor'} row is missing` };
        }
        // Every stored record, not only those after the anchor: a row re-inserted below the anchor shows up too.
        return verifyStoredChain(client, this.schema, anchor, head);
      },
      'REPEATABLE READ READ ONLY',
    );
  }

  async prune(olderThan: Date): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      // Locking the anchor serialises prunes; appends go on, since they only add records after the head read here.
      const anchor = await this.requirePoint(client, 'audit_anchor', 'FOR UPDATE');
      const head = await this.requirePoint(client, 'audit_head');
      // Delete only a prefix of records all older than the cutoff (a clock step back cannot make it
      // skip a newer one), and never the newest: the head and anchor must name a stored record.
      const { rows } = await client.query<{ seq: string | null }>(
        `SELECT MIN(seq) AS seq FROM ${this.schema}.audit_records WHERE at_time >= $1::timestamptz`,
        [olderThan.toISOString()],
      );
      const firstKept = rows[0]?.seq == null ? head.seq + 1 : Number(rows[0].seq);
      const last = Math.min(firstKept - 1, head.seq - 1);
      if (last <= anchor.seq) return 0;
      // Check what is about to go: pruning must not launder a tampered record into a fresh anchor.
      // A missing record `last` fails the check (the run ends before it), so '' is never used.
      const lastRow = await client.query<{ hash: string }>(`SELECT hash FROM ${this.schema}.audit_records WHERE seq = $1`, [last]);
      const newAnchor = { seq: last, hash: lastRow.rows[0]?.hash ?? '' };
      const check = await verifyStoredChain(client, this.schema, anchor, newAnchor, { after: anchor.seq, through: last });
      if (!check.ok) {
        throw new ConflictError(
          `The audit log does not verify (${check.reason}), so nothing was pruned: the evidence is kept. Run \`opsbot audit verify\`.`,
        );
      }
      const { rowCount } = await client.query(`DELETE FROM ${this.schema}.audit_records WHERE seq <= $1`, [last]);
      await client.query(`UPDATE ${this.schema}.audit_anchor SET seq = $1, hash = $2 WHERE id = 1`, [newAnchor.seq, newAnchor.hash]);
      return rowCount ?? 0;
    });
  }

  private async readPoint(client: PoolClient, table: PointTable, lock?: 'FOR UPDATE'): Promise<ChainPoint | undefined> {
    const { rows } = await client.query<{ seq: string; hash: string }>(
      `SELECT seq, hash FROM ${this.schema}.${table} WHERE id = 1 ${lock ?? ''}`,
    );
    const row = rows[0];
    return row && { seq: Number(row.seq), hash: row.hash };
  }

  private async requirePoint(client: PoolClient, table: PointTable, lock?: 'FOR UPDATE'): Promise<ChainPoint> {
    const point = await this.readPoint(client, table, lock);
    if (!point) throw new Error(`the audit log's ${table.slice('audit_'.length)} row is missing; the database was altered outside opsbot`);
    return point;
  }
}
