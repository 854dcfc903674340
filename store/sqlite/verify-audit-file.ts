import { existsSync } from 'node:fs';
import type { AuditVerification } from '../../core/index.js';
import { NotFoundError } from '../../core/index.js';
import { openDatabase } from './open-database.js';
import { migrate } from './schema.js';
import { SqliteAuditLog } from './sqlite-audit-log.js';

/**
 * Verifies the audit chain in the database at `path`, for `opsbot audit verify`. Opens read-write
 * because a WAL database may need its shared-memory file created even to be read. Refuses a missing
 * file or one opsbot never set up, rather than create an empty log that would verify.
 */
export async function verifyAuditFile(path: string): Promise<AuditVerification> {
  const notFound = new NotFoundError(`There is no opsbot database at ${path}; check the path (the data directory in the config).`);
  if (!existsSync(path)) throw notFound;
  const db = openDatabase(path);
  try {
    if (db.pragma('user_version', { simple: true }) === 0) throw notFound;
    migrate(db); // an older opsbot's file: bring it to the schema this code reads
    return await new SqliteAuditLog(db, () => new Date()).verify();
  } finally {
    db.close();
  }
}
