import { randomUUID } from 'node:crypto';
import { Client, escapeIdentifier } from 'pg';
import { requireService } from './required-service.js';

/**
 * Tests' commits skip waiting for the disk flush: visibility and locking are unchanged, only a
 * crash could lose them, and it halves the time of the many small audit transactions.
 */
export const POSTGRES_URL =
  process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test?options=-c%20synchronous_commit%3Doff';

/** Runs one statement on its own connection, standing in for another process or someone with psql. */
export async function runSql(sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  const client = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function reachable(): Promise<boolean> {
  try {
    await runSql('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

const available = await reachable();

/** `describe` when Postgres answers; otherwise the suite fails in CI and is skipped, saying why, elsewhere. */
export function describePostgres(name: string, body: () => void): void {
  const { host, pathname } = new URL(POSTGRES_URL);
  const run = requireService(available, `"${name}" needs PostgreSQL at ${host}${pathname}; start one or set POSTGRES_URL`);
  (run ? describe : describe.skip)(name, body);
}

/** A schema no other test uses, so tests never share state; drop it with dropSchema. */
export function uniqueSchema(name: string): string {
  return `opsbot_test_${name}_${randomUUID().slice(0, 8)}`;
}

export async function dropSchema(schema: string): Promise<void> {
  await runSql(`DROP SCHEMA IF EXISTS ${escapeIdentifier(schema)} CASCADE`);
}
