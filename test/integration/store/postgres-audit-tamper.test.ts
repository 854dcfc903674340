import { GENESIS_HASH } from '../../../core/index.js';
import type { AuditEntry } from '../../../core/index.js';
import { openPostgresStateStore, verifyPostgresAudit, type PostgresStateStore } from '../../../store/index.js';
import { describePostgres, dropSchema, POSTGRES_URL, runSql, uniqueSchema } from '../../helpers/postgres.js';

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

describePostgres('Postgres audit log against tampering', () => {
  let schema: string;
  let clock: Date;
  let store: PostgresStateStore;

  /** Someone with database access editing rows by hand; the trigger only guards against opsbot's own bugs. */
  const tamper = async (sql: string, ...params: unknown[]) => {
    await runSql(`ALTER TABLE "${schema}".audit_records DISABLE TRIGGER audit_records_no_update`);
    await runSql(sql.replaceAll('audit_records', `"${schema}".audit_records`), params);
  };
  const readAnchor = async () => (await runSql(`SELECT seq::int AS seq, hash FROM "${schema}".audit_anchor`))[0];

  beforeEach(async () => {
    schema = uniqueSchema('tamper');
    // Records 1-5 are 40 days old, 6-10 recent, so pruning has something to cut.
    clock = new Date(NOW.getTime() - 40 * DAY_MS);
    store = await openPostgresStateStore({ connectionString: POSTGRES_URL, schema, now: () => clock });
    for (let i = 1; i <= 5; i++) await store.audit.append(entry(i));
    clock = NOW;
    for (let i = 6; i <= 10; i++) await store.audit.append(entry(i));
    expect(await store.audit.verify()).toEqual({ ok: true, checked: 10 });
  });

  afterEach(async () => {
    await store.close();
    await dropSchema(schema);
  });

  it('refuses an edit through the append-only trigger', async () => {
    await expect(runSql(`UPDATE "${schema}".audit_records SET text = 'x' WHERE seq = 4`)).rejects.toThrow(/append-only/);
  });

  it('detects an edited record, naming its seq', async () => {
    await tamper('UPDATE audit_records SET text = $1 WHERE seq = 4', 'deploy sentiment v4 to prod');
    expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 4, checked: 3, reason: expect.stringContaining('modified') });
    expect(await verifyPostgresAudit(POSTGRES_URL, schema)).toMatchObject({ ok: false, firstBadSeq: 4 });
  });

  it('detects a deleted middle record, naming the missing seq', async () => {
    await tamper('DELETE FROM audit_records WHERE seq = 6');
    expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 6, reason: expect.stringContaining('record 6 is missing') });
  });

  it('detects a deleted newest record even though the head row was left alone', async () => {
    await tamper('DELETE FROM audit_records WHERE seq = 10');
    expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 10, checked: 9, reason: expect.stringContaining('missing from the end') });
  });

  it('prunes old records, moving the anchor so the rest verifies, and still catches tampering after', async () => {
    const cutoff = new Date(NOW.getTime() - 30 * DAY_MS);
    const [fifth] = await store.audit.query({ until: cutoff.toISOString(), limit: 1 });
    expect(fifth!.seq).toBe(5);

    expect(await store.audit.prune(cutoff)).toBe(5);
    expect(await readAnchor()).toEqual({ seq: 5, hash: fifth!.hash });
    expect(await store.audit.verify()).toEqual({ ok: true, checked: 5 });
    expect((await store.audit.query()).map((r) => r.seq)).toEqual([10, 9, 8, 7, 6]);
    expect((await store.audit.append(entry(11))).seq).toBe(11);
    expect(await store.audit.verify()).toEqual({ ok: true, checked: 6 });

    await tamper(`UPDATE audit_records SET args = json_build_object('model', 'sentiment', 'version', '7', 'env', 'prod') WHERE seq = 7`);
    expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 7 });
  });

  it('detects deleting the oldest kept record after a prune', async () => {
    await store.audit.prune(new Date(NOW.getTime() + 1)); // everything but the newest is older than this
    expect((await readAnchor())!.seq).toBe(9);
    await store.audit.append(entry(11));
    await tamper('DELETE FROM audit_records WHERE seq = 10');
    expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 10 });
  });

  it('refuses to prune a tampered stretch, so pruning cannot hide the evidence', async () => {
    await tamper('UPDATE audit_records SET user_name = $1 WHERE seq = 3', 'mallory');
    await expect(store.audit.prune(new Date(NOW.getTime() + 1))).rejects.toMatchObject({ code: 'conflict' });
    expect(await readAnchor()).toEqual({ seq: 0, hash: GENESIS_HASH });
    expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 3 });
  });
});
