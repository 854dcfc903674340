import { Pool } from 'pg';

/**
 * A pool for one store. Postgres ends idle connections when it restarts or an admin kills them;
 * pg then emits 'error' on the pool, which would crash the process with no listener. The pool has
 * already dropped that connection and the next query opens a new one, so there is nothing to do.
 */
export function openPool(connectionString: string): Pool {
  const pool = new Pool({ connectionString });
  pool.on('error', () => undefined);
  return pool;
}
