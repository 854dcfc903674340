import type { AuditFilter, AuditPageQuery } from '../../core/index.js';
import { clampAuditPage, InvalidInputError } from '../../core/index.js';
import { clampLimit } from '../shared/sql-values.js';
import { AUDIT_COLUMNS } from './audit-row.js';

/** Checked here rather than by Postgres, so a bad bound is the user's mistake, not an internal error. */
function timeBound(name: string, value: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) {
    throw new InvalidInputError(`"${value}" is not a time; write ${name} as an ISO timestamp such as 2026-01-31T09:00:00Z`);
  }
  return time.toISOString();
}

/** The WHERE clauses a filter means (limit aside); `param` numbers each value as it is added. */
function auditWhere(filter: Omit<AuditFilter, 'limit'>, param: (value: string | number) => string): string[] {
  const clauses: string[] = [];
  if (filter.user !== undefined) {
    const user = param(filter.user);
    // The identity key is `platform:user` or `platform:workspace:user`; accept either spelling.
    clauses.push(`(user_id = ${user} OR user_name = ${user} OR platform || ':' || user_id = ${user}
      OR platform || ':' || workspace || ':' || user_id = ${user})`);
  }
  if (filter.action !== undefined) clauses.push(`action = ${param(filter.action)}`);
  if (filter.model !== undefined) clauses.push(`args ->> 'model' = ${param(filter.model)}`);
  if (filter.jobId !== undefined) clauses.push(`job_id = ${param(filter.jobId)}`);
  if (filter.since !== undefined) clauses.push(`at_time >= ${param(timeBound('since', filter.since))}::timestamptz`);
  if (filter.until !== undefined) clauses.push(`at_time <= ${param(timeBound('until', filter.until))}::timestamptz`);
  return clauses;
}

/** Turns a filter into a newest-first SELECT over audit_records with positional parameters. */
export function auditQuery(schema: string, filter: AuditFilter): { sql: string; params: Array<string | number> } {
  const params: Array<string | number> = [];
  const param = (value: string | number): string => `$${params.push(value)}`;
  const clauses = auditWhere(filter, param);
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  const limit = param(clampLimit(filter.limit));
  return { sql: `SELECT ${AUDIT_COLUMNS} FROM ${schema}.audit_records ${where} ORDER BY seq DESC LIMIT ${limit}`, params };
}

/** One oldest-first page after a sequence cursor: the primary key's order, so each page is an index range scan. */
export function auditPageQuery(schema: string, query: AuditPageQuery): { sql: string; params: Array<string | number> } {
  const { afterSeq, limit, ...filter } = query;
  const params: Array<string | number> = [];
  const param = (value: string | number): string => `$${params.push(value)}`;
  const clauses = auditWhere(filter, param);
  clauses.push(`seq > ${param(Math.max(0, Math.trunc(afterSeq ?? 0)))}`);
  const size = param(clampAuditPage(limit));
  return { sql: `SELECT ${AUDIT_COLUMNS} FROM ${schema}.audit_records WHERE ${clauses.join(' AND ')} ORDER BY seq LIMIT ${size}`, params };
}
