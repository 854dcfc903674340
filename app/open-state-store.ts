import type { Logger, OpsbotConfig, StateStore } from '../core/index.js';
import { openSqliteStateStore } from '../store/sqlite/sqlite-state-store.js';
import { join } from 'node:path';

/** Where SQLite keeps state when no Postgres URL is configured. */
export function databasePath(config: OpsbotConfig): string {
  return join(config.dataDir, 'opsbot.db');
}

/** Postgres when OPSBOT_DATABASE_URL is set (state shared across machines), else SQLite in the data directory. */
export async function openStateStore(config: OpsbotConfig, log?: Logger): Promise<StateStore> {
  if (config.databaseUrl) {
    // pg loads only for Postgres: the embedded default never needs it.
    const { openPostgresStateStore } = await import('../store/postgres/postgres-state-store.js');
    return openPostgresStateStore({ connectionString: config.databaseUrl, schema: config.databaseSchema, log });
  }
  return openSqliteStateStore(databasePath(config));
}

/** Where state lives, for start-up banners (never the connection string: it may hold a password). */
export function describeStateStore(config: OpsbotConfig): string {
  return config.databaseUrl ? 'Postgres (OPSBOT_DATABASE_URL)' : databasePath(config);
}
