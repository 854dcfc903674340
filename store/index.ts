/** The state store implementations opsbot ships; SQLite is the embedded default. */
export { openSqliteStateStore, SqliteStateStore, type SqliteStateStoreOptions } from './sqlite/sqlite-state-store.js';
export { verifyAuditFile } from './sqlite/verify-audit-file.js';
export {
  DEFAULT_POSTGRES_SCHEMA,
  openPostgresStateStore,
  PostgresStateStore,
  type PostgresStateStoreOptions,
} from './postgres/postgres-state-store.js';
export { verifyPostgresAudit } from './postgres/verify-postgres-audit.js';
