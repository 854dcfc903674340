import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** How long a connection waits for another process's write lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

/** True for paths SQLite keeps in memory or in a private temporary file, which have no directory to create. */
export function isInMemoryPath(path: string): boolean {
  return path === '' || path === ':memory:';
}

/**
 * Opens a connection tuned for several processes (the bot and `opsbot worker`s) sharing one file:
 * WAL lets readers run beside the single writer, and the busy timeout makes a writer wait for
 * the lock instead of failing at once.
 */
export function openDatabase(path: string): Database.Database {
  if (!isInMemoryPath(path)) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  // Set the timeout before switching to WAL: the switch itself needs a lock another process may hold.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  return db;
}
