/** The state store implementations opsbot ships; SQLite is the embedded default. */
export { openSqliteStateStore, SqliteStateStore, type SqliteStateStoreOptions } from './sqlite/sqlite-state-store.js';
export { verifyAuditFile } from './sqlite/verify-audit-file.js';
