import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openSqliteStateStore, verifyAuditFile } from '../../../store/index.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../store/sqlite/schema.js';
import { defineStateStoreContract } from '../../helpers/store-contract.js';

const tempDirs: string[] = [];
function tempPath(file = 'state.db'): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-store-'));
  tempDirs.push(dir);
  return join(dir, 'nested', 'deeper', file);
}
function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

defineStateStoreContract('sqlite :memory:', async () => openSqliteStateStore(':memory:'));
defineStateStoreContract('sqlite file', async () => openSqliteStateStore(tempPath()), removeTempDirs);

describe('SqliteStateStore specifics', () => {
  afterEach(removeTempDirs);

  it('creates parent directories and opens the file in WAL mode at the current schema version', async () => {
    const path = tempPath();
    const store = openSqliteStateStore(path);
    await store.close();
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('reopens an existing file without migrating again, keeping its data', async () => {
    const path = tempPath();
    const first = openSqliteStateStore(path);
    await first.audit.append({ platform: 'local', workspace: '', userId: 'alice', userName: 'alice', outcome: 'accepted' });
    await first.close();
    const second = openSqliteStateStore(path);
    expect(await second.audit.verify()).toEqual({ ok: true, checked: 1 });
    await second.close();
  });

  it('upgrades a database written before blue-green deployments, keeping its data', async () => {
    const path = tempPath();
    const first = openSqliteStateStore(path);
    await first.audit.append({ platform: 'local', workspace: '', userId: 'a', userName: 'a', outcome: 'accepted' });
    await first.close();
    // Put the file back as the previous release left it: without the blue-green tables, at version 2.
    const db = new Database(path);
    db.exec('DROP TABLE approval_votes; DROP TABLE blue_green_deployments; DROP TABLE serving_slots; DROP TABLE alert_groups; DROP TABLE rule_alerts');
    db.pragma('user_version = 2');
    db.close();
    expect(MIGRATIONS.length).toBeGreaterThan(2);

    const upgraded = openSqliteStateStore(path);
    expect(await upgraded.audit.verify()).toEqual({ ok: true, checked: 1 });
    const slot = await upgraded.blueGreen.saveSlot({ model: 'm', env: 'prod', live: 'blue', colours: { blue: { version: 1, scaling: { replicas: 1 } } } });
    expect(await upgraded.blueGreen.slots()).toEqual([slot]);
    await upgraded.close();
    const check = new Database(path);
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    check.close();
  });

  it('refuses a database written by a newer opsbot', async () => {
    const path = tempPath();
    await openSqliteStateStore(path).close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openSqliteStateStore(path)).toThrow(/newer than this opsbot understands/);
  });

  it('uses the injected clock for every timestamp', async () => {
    const at = new Date('2026-03-01T10:00:00.000Z');
    const store = openSqliteStateStore(':memory:', { now: () => at });
    const record = await store.audit.append({ platform: 'local', workspace: '', userId: 'a', userName: 'a', outcome: 'accepted' });
    expect(record.at).toBe(at.toISOString());
    await store.close();
  });

  it('accepts since/until in any ISO form and rejects a non-time', async () => {
    const store = openSqliteStateStore(':memory:', { now: () => new Date('2026-03-01T10:00:00.000Z') });
    await store.audit.append({ platform: 'local', workspace: '', userId: 'a', userName: 'a', outcome: 'accepted' });
    expect(await store.audit.query({ since: '2026-03-01T10:00:00Z' })).toHaveLength(1);
    expect(await store.audit.query({ until: '2026-03-01T11:00:00+01:00' })).toHaveLength(1);
    await expect(store.audit.query({ since: 'yesterday' })).rejects.toMatchObject({ code: 'invalid_input' });
    await store.close();
  });

  it('verifyAuditFile verifies a file and refuses a missing or foreign one without changing it', async () => {
    const path = tempPath();
    const store = openSqliteStateStore(path);
    await store.audit.append({ platform: 'local', workspace: '', userId: 'a', userName: 'a', outcome: 'accepted' });
    await store.close();
    expect(await verifyAuditFile(path)).toEqual({ ok: true, checked: 1 });
    const missing = tempPath('missing.db');
    await expect(verifyAuditFile(missing)).rejects.toMatchObject({ code: 'not_found' });
    expect(existsSync(missing)).toBe(false);
    const foreign = join(dirname(path), 'other.db');
    const other = new Database(foreign);
    other.exec('CREATE TABLE notes (body TEXT)');
    await expect(verifyAuditFile(foreign)).rejects.toMatchObject({ code: 'not_found' });
    expect(other.prepare('SELECT name FROM sqlite_schema').pluck().all()).toEqual(['notes']);
    other.close();
  });
});
