import { Pool } from 'pg';
import type { Logger } from '../../core/index.js';

export interface PoolTimeouts {
  /**
   * How long opening a connection may take before the query fails (an unreachable or overloaded server).
   * @defaultValue `10_000`
   */
  connectionTimeoutMs?: number;
  /**
   * How long the server lets one statement run before cancelling it (a lock wait, a runaway query).
   * @defaultValue `30_000`
   */
  statementTimeoutMs?: number;
}

/**
 * A pool for one store, whose queries fail within bounded time rather than hang. Postgres ends idle
 * connections when it restarts or an admin kills them; pg then emits 'error' on the pool, which would
 * crash the process with no listener. The pool has already dropped that connection and the next query
 * opens a new one, so the error is only logged.
 */
export function openPool(connectionString: string, options: PoolTimeouts & { log?: Logger } = {}): Pool {
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  const pool = new Pool({
    connectionString,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    statement_timeout: statementTimeoutMs,
    // The client-side bound for a server that stops answering altogether (statement_timeout is enforced by the server).
    query_timeout: statementTimeoutMs + 5_000,
  });
  pool.on('error', (error) => options.log?.warn({ err: error }, 'a pooled Postgres connection failed; the next query opens a new one'));
  return pool;
}
