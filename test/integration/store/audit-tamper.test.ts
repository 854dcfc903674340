import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GENESIS_HASH } from '../../../core/index.js';
import type { AuditEntry } from '../../../core/index.js';
import { openSqliteStateStore, verifyAuditFile, type SqliteStateStore } from '../../../store/index.js';

const run = promisify(execFile);
const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-06-01T12:00:00.000Z');

const entry = (i: number): AuditEntry => ({
  platform: 'slack',
  workspace: 'T1',
  userId: 'U1',
  userName: 'alice',
  channelId: 'C1',
  text: `deploy sentiment v${i} to staging`,
  action: 'deploy',
  args: { model: 'sentiment', version: String(i), env: 'staging' },
  outcome: 'accepted',
});

/** Another connection to the same file, standing in for someone editing the database by hand. */
function tamper(path: string, sql: string, ...params: unknown[]): void {
  const db = new Database(path);
  // The trigger only guards against opsbot's own bugs; anyone holding the file can drop it.
  db.exec('DROP TRIGGER IF EXISTS audit_records_no_update');
  db.prepare(sql).run(...params);
  db.close();
}

function readAnchor(path: string): { seq: number; hash: string } {
  const db = new Database(path, { readonly: true });
  const anchor = db.prepare('SELECT seq, hash FROM audit_anchor').get() as { seq: number; hash: string };
  db.close();
  return anchor;
}

describe('SQLite audit log against tampering', () => {
  let dir: string;
  let path: string;
  let clock: Date;
  let store: SqliteStateStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-audit-'));
    path = join(dir, 'opsbot.db');
    // Records 1-5 are 40 days old, 6-10 recent, so pruning has something to cut.
    clock = new Date(NOW.getTime() - 40 * DAY_MS);
    store = openSqliteStateStore(path, { now: () => clock });
    for (let i = 1; i <= 5; i++) await store.audit.append(entry(i));
    clock = NOW;
    for (let i = 6; i <= 10; i++) await store.audit.append(entry(i));
    expect(await store.audit.verify()).toEqual({ ok: true, checked: 10 });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('detects an edited record, naming its seq', async () => {
    tamper(path, 'UPDATE audit_records SET text = ? WHERE seq = 4', 'deploy sentiment v4 to prod');
    expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 4, checked: 3, reason: expect.stringContaining('modified') });
    expect(await verifyAuditFile(path)).toMatchObject({ ok: false, firstBadSeq: 4 });
  });

  it('detects a deleted middle record, naming the missing seq', async () => {
    tamper(path, 'DELETE FROM audit_records WHERE seq = 6');
    expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 6, reason: expect.stringContaining('record 6 is missing') });
  });

  it('detects a deleted newest record even though the head row was left alone', async () => {
    tamper(path, 'DELETE FROM audit_records WHERE seq = 10');
    expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 10, checked: 9, reason: expect.stringContaining('missing from the end') });
  });

  it('prunes old records, moving the anchor so the rest verifies, and still catches tampering after', async () => {
    const [fifth] = await store.audit.query({ until: new Date(NOW.getTime() - 30 * DAY_MS).toISOString(), limit: 1 });
    expect(fifth!.seq).toBe(5);

    expect(await store.audit.prune(new Date(NOW.getTime() - 30 * DAY_MS))).toBe(5);
    expect(readAnchor(path)).toEqual({ seq: 5, hash: fifth!.hash });
    expect(await store.audit.verify()).toEqual({ ok: true, checked: 5 });
    expect((await store.audit.query()).map((r) => r.seq)).toEqual([10, 9, 8, 7, 6]);
    expect((await store.audit.append(entry(11))).seq).toBe(11);
    expect(await store.audit.verify()).toEqual({ ok: true, checked: 6 });

    tamper(path, `UPDATE audit_records SET args = json_set(args, '$.env', 'prod') WHERE seq = 7`);
    expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 7 });
  });

  it('detects deleting the oldest kept record after a prune', async () => {
    await store.audit.prune(new Date(NOW.getTime() + 1)); // everything but the newest is older than this
    expect(readAnchor(path).seq).toBe(9);
    await store.audit.append(entry(11));
    tamper(path, 'DELETE FROM audit_records WHERE seq = 10');
    expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 10 });
  });

  it('refuses to prune a tampered stretch, so pruning cannot hide the evidence', async () => {
    tamper(path, 'UPDATE audit_records SET user_name = ? WHERE seq = 3', 'mallory');
    await expect(store.audit.prune(new Date(NOW.getTime() + 1))).rejects.toMatchObject({ code: 'conflict' });
    expect(readAnchor(path)).toEqual({ seq: 0, hash: GENESIS_HASH });
    expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('keeps one valid chain when two connections append in turn', async () => {
    const other = openSqliteStateStore(path, { now: () => clock });
    try {
      for (let i = 11; i <= 30; i++) await (i % 2 ? store : other).audit.append(entry(i));
      const records = (await other.audit.query({ limit: 500 })).reverse();
      expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      records.slice(1).forEach((record, i) => expect(record.prevHash).toBe(records[i]!.hash));
      expect(await store.audit.verify()).toEqual({ ok: true, checked: 30 });
      expect(await other.audit.verify()).toEqual({ ok: true, checked: 30 });
    } finally {
      await other.close();
    }
  });

  it('keeps one valid chain when separate processes append at the same time', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/append-audit.ts', import.meta.url));
    const names = ['bot', 'worker-1', 'worker-2'];
    const perProcess = 60;
    let exited = false;
    const done = Promise.all(
      names.map((name) => run(process.execPath, ['--import', 'tsx', fixture, path, String(perProcess), name])),
    ).finally(() => (exited = true));
    // Release them together once all are running (see the fixture); stop waiting if one died starting.
    while (!exited && !names.every((name) => existsSync(`${path}.ready-${name}`))) await sleep(10);
    writeFileSync(`${path}.go`, '');
    await done;

    expect(await store.audit.verify()).toEqual({ ok: true, checked: 10 + names.length * perProcess });
    const authors = (await store.audit.query({ limit: 500 })).map((r) => r.userId).filter((id) => names.includes(id));
    expect(authors).toHaveLength(names.length * perProcess);
    const turns = authors.filter((id, i) => i > 0 && id !== authors[i - 1]).length;
    expect(turns).toBeGreaterThan(names.length - 1); // they really interleaved, not ran one after another
  });
});
