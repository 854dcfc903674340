import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { AuditEntry } from '../../../core/index.js';
import { openPostgresStateStore, type PostgresStateStore } from '../../../store/index.js';
import { VERIFY_PAGE_SIZE } from '../../../store/postgres/verify-stored-chain.js';
import { describePostgres, dropSchema, POSTGRES_URL, runSql, uniqueSchema } from '../../helpers/postgres.js';

const entry = (author: string, i: number): AuditEntry => ({
  platform: 'system',
  workspace: '',
  userId: author,
  userName: author,
  outcome: 'started',
  detail: `${author}-${i}`,
});

/** Runs `workers` loops of `count` calls each, all at once. */
const inParallel = (workers: number, count: number, call: (worker: number, i: number) => Promise<unknown>) =>
  Promise.all(Array.from({ length: workers }, async (_, w) => {
    for (let i = 0; i < count; i++) await call(w, i);
  }));

/** Two stores on one schema: two pools, as two opsbot processes on different machines would hold. */
describePostgres('Postgres store shared by several processes', () => {
  let schema: string;
  let first: PostgresStateStore;
  let second: PostgresStateStore;

  beforeEach(async () => {
    schema = uniqueSchema('shared');
    [first, second] = await Promise.all([
      openPostgresStateStore({ connectionString: POSTGRES_URL, schema }),
      openPostgresStateStore({ connectionString: POSTGRES_URL, schema }),
    ]);
  });

  afterEach(async () => {
    await Promise.all([first.close(), second.close()]);
    await dropSchema(schema);
  });

  it('keeps one gapless chain when two pools append at once, verified a page at a time', async () => {
    const total = VERIFY_PAGE_SIZE + 50; // more than one page, so verify crosses a page boundary
    const stores = [first, second];
    await inParallel(10, total / 10, (w, i) => stores[w % 2]!.audit.append(entry(`writer-${w % 2}`, i)));

    const records = (await runSql(`SELECT seq::int AS seq, prev_hash, hash, user_id FROM "${schema}".audit_records ORDER BY seq`)) as Array<
      { seq: number; prev_hash: string; hash: string; user_id: string }
    >;
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    records.slice(1).forEach((record, i) => expect(record.prev_hash).toBe(records[i]!.hash));
    const turns = records.filter((r, i) => i > 0 && r.user_id !== records[i - 1]!.user_id).length;
    expect(turns).toBeGreaterThan(1); // the pools really interleaved
    expect(await first.audit.verify()).toEqual({ ok: true, checked: total });
    expect(await second.audit.verify()).toEqual({ ok: true, checked: total });

    // A gap right at a page boundary is still found, with the count of records checked before it.
    await runSql(`DELETE FROM "${schema}".audit_records WHERE seq = $1`, [VERIFY_PAGE_SIZE + 1]);
    expect(await first.audit.verify()).toMatchObject({ ok: false, checked: VERIFY_PAGE_SIZE, firstBadSeq: VERIFY_PAGE_SIZE + 1 });
  });

  it('gives distinct consecutive versions and revisions to two pools registering at once', async () => {
    const stores = [first, second];
    const version = (jobId: string) => ({
      model: 'sentiment',
      createdBy: 'local:a',
      jobId,
      dataset: 'reviews.csv',
      datasetHash: 'h',
      metrics: { accuracy: 0.9 },
      params: {},
      artifactPath: 'models/sentiment/model.onnx',
    });
    const versions: number[] = [];
    const revisions: number[] = [];
    await inParallel(8, 3, async (w, i) => {
      const store = stores[w % 2]!;
      versions.push((await store.registry.registerVersion(version(`j-train-${w}-${i}`))).version);
      const revision = { model: 'sentiment', env: 'staging', version: 1, replicas: 1, change: 'deploy' as const, by: 'local:a' };
      revisions.push((await store.deployments.record({ ...revision, jobId: `j-deploy-${w}-${i}` })).revision);
    });
    const oneToN = Array.from({ length: 24 }, (_, i) => i + 1);
    expect(versions.sort((a, b) => a - b)).toEqual(oneToN);
    expect(revisions.sort((a, b) => a - b)).toEqual(oneToN);

    // The same job retried on both machines at once still registers one version.
    const [a, b] = await Promise.all([first, second].map((store) => store.registry.registerVersion(version('j-retry'))));
    expect(a).toEqual(b);
    expect(await first.registry.listVersions('sentiment')).toHaveLength(25);
  });

  it('ends a blue-green deployment in one state and counts each voter once when two pools race on it', async () => {
    const deployment = (n: number) => ({
      id: `d-race${n}`,
      jobId: `j-race${n}`,
      model: 'sentiment',
      env: 'prod',
      version: 2,
      colour: 'green' as const,
      requestedBy: { platform: 'local' as const, workspace: '', userId: 'a', displayName: 'a' },
      conversation: { platform: 'local' as const, workspace: '', channelId: 'c' },
      approvalsRequired: 2,
      phase: 'awaiting_approval' as const,
    });
    for (let n = 0; n < 10; n++) {
      // Both replicas handle the same retried deploy job, then one promotes while the other expires it.
      const [a, b] = await Promise.all([first.blueGreen.create(deployment(n)), second.blueGreen.create(deployment(n))]);
      expect(a).toEqual(b);
      const at = new Date(Date.UTC(2026, 2, 1, 10, n)).toISOString();
      const voters = ['local:u1', 'local:u2', 'local:u1', 'local:u2'];
      const votes = await Promise.all(
        voters.map((voter, i) => [first, second][i % 2]!.blueGreen.vote(a.id, { voter, displayName: voter, decision: 'approve', at })),
      );
      expect(Math.max(...votes.map((v) => v!.votes.length))).toBe(2);
      const outcomes = await Promise.all([
        first.blueGreen.transition(a.id, ['awaiting_approval'], 'promoting'),
        second.blueGreen.transition(a.id, ['awaiting_approval'], 'expired'),
        first.blueGreen.vote(a.id, { voter: 'local:u3', displayName: 'u3', decision: 'reject', at }),
      ]);
      const won = outcomes.slice(0, 2).filter((d) => d !== undefined);
      expect(won).toHaveLength(1);
      const stored = (await second.blueGreen.get(a.id))!;
      expect(stored.phase).toBe(won[0]!.phase);
      expect(stored.votes).toHaveLength(outcomes[2] ? 3 : 2);
    }
  });

  it('keeps one valid chain when separate processes append at the same time', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/postgres-append-audit.ts', import.meta.url));
    const names = ['bot', 'worker-1', 'worker-2'];
    const perProcess = 40;
    const children = names.map((name) =>
      spawn(process.execPath, ['--import', 'tsx', fixture, POSTGRES_URL, schema, String(perProcess), name], {
        stdio: ['pipe', 'pipe', 'inherit'],
      }),
    );
    const exits = children.map((child) => once(child, 'exit') as Promise<[number | null]>);
    // Release them together once all are running (see the fixture).
    await Promise.all(children.map((child) => once(child.stdout, 'data')));
    for (const child of children) child.stdin.end('go\n');
    expect((await Promise.all(exits)).map(([code]) => code)).toEqual(names.map(() => 0));

    expect(await first.audit.verify()).toEqual({ ok: true, checked: names.length * perProcess });
    const authors = (await first.audit.query({ limit: 500 })).map((r) => r.userId);
    expect(authors).toHaveLength(names.length * perProcess);
    const turns = authors.filter((id, i) => i > 0 && id !== authors[i - 1]).length;
    expect(turns).toBeGreaterThan(names.length - 1); // they really interleaved, not ran one after another
  });
});
