import { escapeIdentifier } from 'pg';
import type { AuditVerification } from '../../core/index.js';
import { NotFoundError } from '../../core/index.js';
import { openPool } from './open-pool.js';
import { PostgresAuditLog } from './postgres-audit-log.js';
import { DEFAULT_POSTGRES_SCHEMA } from './postgres-state-store.js';
import { migrate } from './schema.js';

/**
 * Verifies the audit chain in a database's opsbot schema, for `opsbot audit verify`. Refuses a
 * schema opsbot never set up rather than create an empty log that would verify.
 */
export async function verifyPostgresAudit(connectionString: string, schema = DEFAULT_POSTGRES_SCHEMA): Promise<AuditVerification> {
  const quoted = escapeIdentifier(schema);
  const pool = openPool(connectionString);
  try {
    const { rows } = await pool.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [`${quoted}.schema_migrations`]);
    if (!rows[0]?.found) {
      // The connection string may hold a password, so the message names only the schema.
      throw new NotFoundError(`There are no opsbot tables in schema ${schema} of that database; check OPSBOT_DATABASE_URL and the schema.`);
    }
    await migrate(pool, quoted); // an older opsbot's schema: bring it to the one this code reads
    return await new PostgresAuditLog(pool, quoted, () => new Date()).verify();
  } finally {
    await pool.end();
  }
}
