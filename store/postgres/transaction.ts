import type { Pool, PoolClient } from 'pg';

/** READ COMMITTED for writes that lock what they read; a read-only snapshot for checks that must see one moment. */
export type TransactionMode = 'READ COMMITTED' | 'REPEATABLE READ READ ONLY';

/** Runs `work` on one pooled connection inside BEGIN/COMMIT, rolling back when it throws. */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  mode: TransactionMode = 'READ COMMITTED',
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(`BEGIN ISOLATION LEVEL ${mode}`);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      // A connection that cannot roll back is in an unknown state: destroy it rather than reuse it.
      broken = rollbackError as Error;
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
