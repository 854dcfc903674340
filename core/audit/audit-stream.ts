import type { AuditLog } from './audit-log.port.js';
import type { AuditPageQuery, AuditRecord } from './audit-record.js';
import { MAX_AUDIT_PAGE } from './audit-record.js';

/** The page size `page` is clamped to, so a store never returns an unbounded result. */
export function clampAuditPage(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return MAX_AUDIT_PAGE;
  return Math.min(MAX_AUDIT_PAGE, Math.max(1, Math.trunc(limit)));
}

/**
 * Every matching record, oldest first, read a page at a time by sequence: an export of a log of any
 * length holds one page in memory. Records appended while it runs are included up to the last page read.
 */
export async function* streamAudit(log: AuditLog, query: Omit<AuditPageQuery, 'afterSeq'> = {}): AsyncGenerator<AuditRecord> {
  const limit = clampAuditPage(query.limit);
  let afterSeq = 0;
  for (;;) {
    const page = await log.page({ ...query, afterSeq, limit });
    yield* page;
    const last = page.at(-1);
    if (!last || page.length < limit) return;
    afterSeq = last.seq;
  }
}
