import type { PoolClient } from 'pg';
import { verifyAuditChain } from '../../core/index.js';
import type { AuditVerification } from '../../core/index.js';
import { AUDIT_COLUMNS, toAuditRecord, type PostgresAuditRow } from './audit-row.js';

export interface ChainPoint {
  seq: number;
  hash: string;
}

/** Records read per round trip: verification holds two pages, whatever the length of the log. */
export const VERIFY_PAGE_SIZE = 250;

/**
 * Verifies the stored records with seq in (after, through], oldest first, a page at a time. Each
 * page chains to the last record of the one before; only the final page is checked against `end`
 * (the head), so the result, `checked` included, is what verifyAuditChain gives for the whole run.
 * Run it inside one snapshot (or with the range locked) so pages do not see different moments.
 */
export async function verifyStoredChain(
  client: PoolClient,
  schema: string,
  anchor: ChainPoint,
  end: ChainPoint,
  range: { after?: number; through?: number } = {},
): Promise<AuditVerification> {
  const through = range.through ?? Number.MAX_SAFE_INTEGER;
  const readPage = async (after: number) => {
    const { rows } = await client.query<PostgresAuditRow>(
      `SELECT ${AUDIT_COLUMNS} FROM ${schema}.audit_records WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
      [after, through, VERIFY_PAGE_SIZE],
    );
    return rows.map(toAuditRecord);
  };

  let point = anchor;
  let checked = 0;
  let page = await readPage(range.after ?? Number.MIN_SAFE_INTEGER);
  for (;;) {
    const last = page.at(-1);
    // Read ahead one page: the current one is final (checked against the head) only when nothing follows.
    const next = last && page.length === VERIFY_PAGE_SIZE ? await readPage(last.seq) : [];
    const final = next.length === 0;
    const result = verifyAuditChain(page, point, final ? end : undefined);
    if (!result.ok) return { ...result, checked: checked + result.checked };
    checked += result.checked;
    if (final || !last) return { ok: true, checked };
    point = { seq: last.seq, hash: last.hash };
    page = next;
  }
}
