import type { AuditFilter, AuditPageQuery } from '../../core/index.js';
import { clampAuditPage, InvalidInputError } from '../../core/index.js';
import { clampLimit } from '../shared/sql-values.js';

/** Stored times are `toISOString()` strings; a bound must be in the same form to compare as text. */
function isoBound(name: string, value: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) {
    throw new InvalidInputError(`"${value}" is not a time; write ${name} as an ISO timestamp such as 2026-01-31T09:00:00Z`);
  }
  return time.toISOString();
}

/** The WHERE clauses a filter means (limit aside), with their named parameters. */
function auditWhere(filter: Omit<AuditFilter, 'limit'>): { clauses: string[]; params: Record<string, string | number> } {
  const clauses: string[] = [];
  const params: Record<string, string | number> = {};
  if (filter.user !== undefined) {
    // The identity key is `platform:user` or `platform:workspace:user`; accept either spelling.
    clauses.push(`(user_id = @user OR user_name = @user OR platform || ':' || user_id = @user
      OR platform || ':' || workspace || ':' || user_id = @user)`);
    params.user = filter.user;
  }
  if (filter.action !== undefined) {
    clauses.push('action = @action');
    params.action = filter.action;
  }
  if (filter.model !== undefined) {
    clauses.push(`json_extract(args, '$.model') = @model`);
    params.model = filter.model;
  }
  if (filter.jobId !== undefined) {
    clauses.push('job_id = @jobId');
    params.jobId = filter.jobId;
  }
  if (filter.since !== undefined) {
    clauses.push('at >= @since');
    params.since = isoBound('since', filter.since);
  }
  if (filter.until !== undefined) {
    clauses.push('at <= @until');
    params.until = isoBound('until', filter.until);
  }
  return { clauses, params };
}

/** Turns a filter into a newest-first SELECT over audit_records with named parameters. */
export function auditQuery(filter: AuditFilter): { sql: string; params: Record<string, string | number> } {
  const { clauses, params } = auditWhere(filter);
  params.limit = clampLimit(filter.limit);
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  return { sql: `SELECT * FROM audit_records ${where} ORDER BY seq DESC LIMIT @limit`, params };
}

/** One oldest-first page after a sequence cursor: the primary key's order, so each page is an index range scan. */
export function auditPageQuery(query: AuditPageQuery): { sql: string; params: Record<string, string | number> } {
  const { afterSeq, limit, ...filter } = query;
  const { clauses, params } = auditWhere(filter);
  clauses.push('seq > @afterSeq');
  params.afterSeq = Math.max(0, Math.trunc(afterSeq ?? 0));
  params.limit = clampAuditPage(limit);
  return { sql: `SELECT * FROM audit_records WHERE ${clauses.join(' AND ')} ORDER BY seq LIMIT @limit`, params };
}
