import type { AuditEntry, AuditRecord } from '../../core/index.js';
import { MAX_AUDIT_PAGE, streamAudit } from '../../core/index.js';
import type { ConversationRef, Identity } from '../../core/index.js';
import type { NewDeploymentRevision } from '../../core/index.js';
import type { NewJob } from '../../core/index.js';
import type { NewModelVersion } from '../../core/index.js';
import type { StateStore } from '../../core/index.js';
import { defineBlueGreenStoreContract } from './blue-green-store-contract.js';

const alice: Identity = { platform: 'slack', workspace: 'T1', userId: 'U1', displayName: 'alice' };
const conversation: ConversationRef = { platform: 'slack', workspace: 'T1', channelId: 'C1', threadId: '171.2' };

function newVersion(overrides: Partial<NewModelVersion> = {}): NewModelVersion {
  return {
    model: 'sentiment',
    createdBy: 'slack:T1:U1',
    jobId: 'j-train001',
    dataset: 'reviews.csv',
    datasetHash: 'abc123',
    metrics: { accuracy: 0.91, loss: 0.2 },
    params: { epochs: 3, layers: [64, 32] },
    artifactPath: 'models/sentiment/1/model.onnx',
    conversation,
    ...overrides,
  };
}

function newJob(overrides: Partial<NewJob> = {}): NewJob {
  return {
    id: 'j-aaaaaa01',
    kind: 'train',
    args: { model: 'sentiment', epochs: 3 },
    requestedBy: alice,
    conversation,
    text: 'train sentiment --epochs 3',
    ...overrides,
  };
}

function newRevision(overrides: Partial<NewDeploymentRevision> = {}): NewDeploymentRevision {
  return { model: 'sentiment', env: 'staging', version: 1, replicas: 2, change: 'deploy', jobId: 'j-deploy01', by: 'slack:T1:U1', ...overrides };
}

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    platform: 'slack',
    workspace: 'T1',
    userId: 'U1',
    userName: 'alice',
    channelId: 'C1',
    text: 'deploy sentiment v1 to staging',
    action: 'deploy',
    args: { model: 'sentiment', env: 'staging' },
    outcome: 'accepted',
    ...overrides,
  };
}

/** Distinct timestamps for since/until checks, whatever clock the store uses (milliseconds are the resolution). */
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/**
 * The behaviour every StateStore must show, run against a fresh store per test.
 * `cleanup` runs after the store is closed (remove a temp file, drop a schema).
 */
export function defineStateStoreContract(
  name: string,
  factory: () => Promise<StateStore>,
  cleanup?: () => Promise<void> | void,
): void {
  describe(`StateStore contract: ${name}`, () => {
    let store: StateStore;

    beforeEach(async () => {
      store = await factory();
    });

    afterEach(async () => {
      await store.close();
      await cleanup?.();
    });

    describe('registry', () => {
      it('numbers versions 1, 2, 3 per model and lists them oldest first', async () => {
        const v1 = await store.registry.registerVersion(newVersion({ jobId: 'j-train001' }));
        const v2 = await store.registry.registerVersion(newVersion({ jobId: 'j-train002' }));
        const other = await store.registry.registerVersion(newVersion({ model: 'fraud', jobId: 'j-train003' }));
        const v3 = await store.registry.registerVersion(newVersion({ jobId: 'j-train004' }));
        expect([v1.version, v2.version, v3.version, other.version]).toEqual([1, 2, 3, 1]);
        expect((await store.registry.listVersions('sentiment')).map((v) => v.version)).toEqual([1, 2, 3]);
        expect(await store.registry.listModels()).toEqual(['fraud', 'sentiment']);
        expect(await store.registry.listVersions('absent')).toEqual([]);
      });

      it('round-trips every field, and getVersion returns what registerVersion did', async () => {
        const input = newVersion();
        const registered = await store.registry.registerVersion(input);
        expect(registered).toEqual({ ...input, version: 1, createdAt: expect.any(String) });
        expect(Number.isNaN(Date.parse(registered.createdAt))).toBe(false);
        expect(await store.registry.getVersion('sentiment', 1)).toEqual(registered);
        expect(await store.registry.getVersion('sentiment', 2)).toBeUndefined();
      });

      it('leaves conversation out when none was given', async () => {
        const { conversation: _, ...input } = newVersion();
        const registered = await store.registry.registerVersion(input);
        expect(registered).not.toHaveProperty('conversation');
        expect(await store.registry.getVersion('sentiment', 1)).not.toHaveProperty('conversation');
      });

      it('returns the first version when the same job registers again (a retried training job)', async () => {
        const first = await store.registry.registerVersion(newVersion({ jobId: 'j-retry001' }));
        const again = await store.registry.registerVersion(newVersion({ jobId: 'j-retry001', metrics: { accuracy: 0.5 } }));
        expect(again).toEqual(first);
        expect(await store.registry.listVersions('sentiment')).toHaveLength(1);
      });

      it('gives distinct versions to registrations that race', async () => {
        const versions = await Promise.all(
          Array.from({ length: 8 }, (_, i) => store.registry.registerVersion(newVersion({ jobId: `j-race00${i}` }))),
        );
        expect(versions.map((v) => v.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      });

      it('deletes a version and never gives its number out again', async () => {
        await store.registry.registerVersion(newVersion({ jobId: 'j-train001' }));
        const v2 = await store.registry.registerVersion(newVersion({ jobId: 'j-train002' }));
        expect(await store.registry.deleteVersion('sentiment', 2)).toEqual(v2);
        expect(await store.registry.deleteVersion('sentiment', 2)).toBeUndefined();
        expect(await store.registry.getVersion('sentiment', 2)).toBeUndefined();
        expect((await store.registry.listVersions('sentiment')).map((v) => v.version)).toEqual([1]);
        const next = await store.registry.registerVersion(newVersion({ jobId: 'j-train003' }));
        expect(next.version).toBe(3);
      });
    });

    describe('jobs', () => {
      it('creates a queued job with no attempts', async () => {
        const job = await store.jobs.create(newJob());
        expect(job).toEqual({ ...newJob(), status: 'queued', attempts: 0, createdAt: expect.any(String) });
        for (const absent of ['startedAt', 'finishedAt', 'workerId', 'progress', 'result', 'error', 'replyRef']) {
          expect(job).not.toHaveProperty(absent);
        }
        expect(await store.jobs.get(job.id)).toEqual(job);
        expect(await store.jobs.get('j-missing1')).toBeUndefined();
      });

      it('refuses a second job with the same id', async () => {
        await store.jobs.create(newJob());
        await expect(store.jobs.create(newJob())).rejects.toMatchObject({ code: 'conflict' });
      });

      it('marks a job active, keeping the first start time and the highest attempt', async () => {
        await store.jobs.create(newJob());
        await store.jobs.markActive('j-aaaaaa01', 1, 'worker-a');
        const first = await store.jobs.get('j-aaaaaa01');
        expect(first).toMatchObject({ status: 'active', attempts: 1, workerId: 'worker-a', startedAt: expect.any(String) });
        await tick();
        await store.jobs.markActive('j-aaaaaa01', 2, 'worker-b');
        const second = await store.jobs.get('j-aaaaaa01');
        expect(second).toMatchObject({ status: 'active', attempts: 2, workerId: 'worker-b', startedAt: first!.startedAt });
      });

      it('records progress and the reply reference', async () => {
        await store.jobs.create(newJob());
        await store.jobs.recordProgress('j-aaaaaa01', { percent: 40, message: 'epoch 2/5', metrics: { loss: 0.3 } });
        await store.jobs.setReplyRef('j-aaaaaa01', 'C1:171.9');
        expect(await store.jobs.get('j-aaaaaa01')).toMatchObject({
          progress: { percent: 40, message: 'epoch 2/5', metrics: { loss: 0.3 } },
          replyRef: 'C1:171.9',
        });
      });

      it('finishes a job once: the second finish returns false and changes nothing', async () => {
        await store.jobs.create(newJob());
        await store.jobs.markActive('j-aaaaaa01', 1, 'worker-a');
        expect(await store.jobs.finish('j-aaaaaa01', { status: 'completed', result: { summary: 'v1 trained', details: { accuracy: 0.9 } } })).toBe(true);
        expect(await store.jobs.finish('j-aaaaaa01', { status: 'failed', error: 'worker died' })).toBe(false);
        const job = await store.jobs.get('j-aaaaaa01');
        expect(job).toMatchObject({ status: 'completed', result: { summary: 'v1 trained', details: { accuracy: 0.9 } }, finishedAt: expect.any(String) });
        expect(job).not.toHaveProperty('error');
      });

      it('keeps the first of finishes that race', async () => {
        await store.jobs.create(newJob());
        const outcomes = await Promise.all([
          store.jobs.finish('j-aaaaaa01', { status: 'failed', error: 'first' }),
          store.jobs.finish('j-aaaaaa01', { status: 'failed', error: 'second' }),
          store.jobs.finish('j-aaaaaa01', { status: 'cancelled', error: 'third' }),
        ]);
        expect(outcomes.filter(Boolean)).toHaveLength(1);
      });

      it('keeps a finished job finished: later activity and progress are ignored', async () => {
        await store.jobs.create(newJob());
        expect(await store.jobs.finish('j-aaaaaa01', { status: 'cancelled', error: 'cancelled by alice' })).toBe(true);
        await store.jobs.markActive('j-aaaaaa01', 1, 'worker-late');
        await store.jobs.recordProgress('j-aaaaaa01', { percent: 10, message: 'late' });
        const job = await store.jobs.get('j-aaaaaa01');
        expect(job).toMatchObject({ status: 'cancelled', error: 'cancelled by alice', attempts: 0 });
        expect(job).not.toHaveProperty('progress');
        expect(job).not.toHaveProperty('workerId');
      });

      it('reports an unknown job as not found', async () => {
        await expect(store.jobs.markActive('j-missing1', 1, 'w')).rejects.toMatchObject({ code: 'not_found' });
        await expect(store.jobs.recordProgress('j-missing1', { percent: 1, message: '' })).rejects.toMatchObject({ code: 'not_found' });
        await expect(store.jobs.finish('j-missing1', { status: 'failed', error: 'x' })).rejects.toMatchObject({ code: 'not_found' });
        await expect(store.jobs.setReplyRef('j-missing1', 'r')).rejects.toMatchObject({ code: 'not_found' });
      });

      it('lists newest first, filtered by status, 20 by default', async () => {
        for (let i = 0; i < 25; i++) await store.jobs.create(newJob({ id: `j-list${String(i).padStart(4, '0')}` }));
        await store.jobs.markActive('j-list0003', 1, 'w');
        await store.jobs.finish('j-list0004', { status: 'failed', error: 'boom' });
        const all = await store.jobs.list();
        expect(all).toHaveLength(20);
        expect(all[0]!.id).toBe('j-list0024');
        expect(all[19]!.id).toBe('j-list0005');
        expect((await store.jobs.list({ limit: 3 })).map((j) => j.id)).toEqual(['j-list0024', 'j-list0023', 'j-list0022']);
        expect((await store.jobs.list({ status: ['active', 'failed'] })).map((j) => j.id)).toEqual(['j-list0004', 'j-list0003']);
        expect(await store.jobs.list({ status: ['completed'] })).toEqual([]);
      });
    });

    describe('deployments', () => {
      it('appends revisions per model and environment; current is the latest', async () => {
        expect(await store.deployments.current('sentiment', 'staging')).toBeUndefined();
        const r1 = await store.deployments.record(newRevision({ jobId: 'j-deploy01', version: 1 }));
        const r2 = await store.deployments.record(newRevision({ jobId: 'j-deploy02', version: 2 }));
        const prod = await store.deployments.record(newRevision({ env: 'prod', jobId: 'j-deploy03', version: 1 }));
        const r3 = await store.deployments.record(
          newRevision({ jobId: 'j-scale001', version: 2, change: 'scale', replicas: undefined, min: 2, max: 8 }),
        );
        expect([r1.revision, r2.revision, r3.revision, prod.revision]).toEqual([1, 2, 3, 1]);
        expect(r1).toEqual({ ...newRevision({ jobId: 'j-deploy01' }), revision: 1, at: expect.any(String) });
        expect(r3).toMatchObject({ change: 'scale', min: 2, max: 8 });
        expect(r3).not.toHaveProperty('replicas');
        expect(await store.deployments.current('sentiment', 'staging')).toEqual(r3);
        expect(await store.deployments.current('sentiment', 'prod')).toEqual(prod);
      });

      it('lists history newest first, with a limit', async () => {
        for (let v = 1; v <= 4; v++) await store.deployments.record(newRevision({ jobId: `j-dep0000${v}`, version: v }));
        expect((await store.deployments.history('sentiment', 'staging')).map((r) => r.version)).toEqual([4, 3, 2, 1]);
        expect((await store.deployments.history('sentiment', 'staging', 2)).map((r) => r.revision)).toEqual([4, 3]);
        expect(await store.deployments.history('sentiment', 'prod')).toEqual([]);
      });

      it('returns the first revision when the same job records again', async () => {
        const first = await store.deployments.record(newRevision({ jobId: 'j-retry001' }));
        const again = await store.deployments.record(newRevision({ jobId: 'j-retry001', version: 9 }));
        expect(again).toEqual(first);
        expect(await store.deployments.history('sentiment', 'staging')).toHaveLength(1);
      });
    });

    defineBlueGreenStoreContract(() => store);

    describe('audit', () => {
      it('appends chained records and reads them back identically', async () => {
        const a = await store.audit.append(entry());
        const b = await store.audit.append(entry({ outcome: 'started', jobId: 'j-deploy01', attempt: 1, detail: 'worker-a' }));
        expect(a).toMatchObject({ seq: 1, prevHash: '0'.repeat(64), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
        expect(b).toMatchObject({ seq: 2, prevHash: a.hash });
        expect(await store.audit.query()).toEqual([b, a]);
      });

      it('leaves absent fields out and truncates long text', async () => {
        const minimal: AuditEntry = { platform: 'system', workspace: '', userId: 'opsbot', userName: 'opsbot', outcome: 'completed' };
        const record = await store.audit.append(minimal);
        expect(record).toEqual({ ...minimal, seq: 1, at: expect.any(String), prevHash: expect.any(String), hash: expect.any(String) });
        const long = await store.audit.append(entry({ text: 'x'.repeat(5000) }));
        expect(long.text!.length).toBeLessThan(2100);
        expect((await store.audit.query({ limit: 1 }))[0]).toEqual(long);
        expect(await store.audit.verify()).toEqual({ ok: true, checked: 2 });
      });

      it('filters by user (id, name or identity key), action, model and job', async () => {
        const records: AuditRecord[] = [];
        records.push(await store.audit.append(entry()));
        records.push(await store.audit.append(entry({ userId: 'U2', userName: 'bob', action: 'train', args: { model: 'fraud' } })));
        records.push(await store.audit.append(entry({ platform: 'local', workspace: '', userId: 'carol', userName: 'carol', jobId: 'j-job00001' })));
        records.push(await store.audit.append(entry({ outcome: 'completed', jobId: 'j-job00001', args: undefined, action: undefined })));
        const seqs = async (filter: Parameters<StateStore['audit']['query']>[0]) =>
          (await store.audit.query(filter)).map((r) => r.seq);
        expect(await seqs({ user: 'U1' })).toEqual([4, 1]);
        expect(await seqs({ user: 'bob' })).toEqual([2]);
        expect(await seqs({ user: 'slack:T1:U2' })).toEqual([2]);
        expect(await seqs({ user: 'local:carol' })).toEqual([3]);
        expect(await seqs({ action: 'train' })).toEqual([2]);
        expect(await seqs({ model: 'sentiment' })).toEqual([3, 1]);
        expect(await seqs({ jobId: 'j-job00001' })).toEqual([4, 3]);
        expect(await seqs({ user: 'U1', jobId: 'j-job00001' })).toEqual([4]);
        expect(await seqs({ user: 'nobody' })).toEqual([]);
      });

      it('filters by time and limits newest first (20 by default, at most 500)', async () => {
        const first = await store.audit.append(entry());
        await tick();
        const middle = await store.audit.append(entry());
        await tick();
        const last = await store.audit.append(entry());
        expect((await store.audit.query({ since: middle.at })).map((r) => r.seq)).toEqual([3, 2]);
        expect((await store.audit.query({ until: middle.at })).map((r) => r.seq)).toEqual([2, 1]);
        expect((await store.audit.query({ since: first.at, until: first.at })).map((r) => r.seq)).toEqual([1]);
        expect((await store.audit.query({ limit: 1 }))[0]).toEqual(last);
        for (let i = 0; i < 520; i++) await store.audit.append(entry({ outcome: 'denied' }));
        expect(await store.audit.query()).toHaveLength(20);
        expect(await store.audit.query({ limit: 10_000 })).toHaveLength(500);
      });

      it('pages oldest first after a sequence cursor, filtered, and streams the whole log a page at a time', async () => {
        expect(await store.audit.page({})).toEqual([]);
        const records: AuditRecord[] = [];
        for (let i = 0; i < 25; i++) {
          if (i >= 20 && i <= 23) await tick();
          records.push(await store.audit.append(i % 5 === 0 ? entry({ userId: 'U2', userName: 'bob', action: 'train', args: { model: 'fraud' } }) : entry({ detail: `n${i}` })));
        }
        expect(await store.audit.page({ limit: 3 })).toEqual(records.slice(0, 3));
        expect(await store.audit.page({ afterSeq: 3, limit: 4 })).toEqual(records.slice(3, 7));
        expect(await store.audit.page({ afterSeq: 25 })).toEqual([]);
        // The cursor counts sequences, not matches: a filtered page resumes after the last record it returned.
        expect((await store.audit.page({ user: 'bob', limit: 2 })).map((r) => r.seq)).toEqual([1, 6]);
        expect((await store.audit.page({ user: 'bob', afterSeq: 6, limit: 2 })).map((r) => r.seq)).toEqual([11, 16]);
        expect((await store.audit.page({ model: 'fraud', action: 'train', afterSeq: 16 })).map((r) => r.seq)).toEqual([21]);
        expect((await store.audit.page({ since: records[20]!.at, until: records[22]!.at })).map((r) => r.seq)).toEqual([21, 22, 23]);
        // At most MAX_AUDIT_PAGE a page, whatever is asked.
        for (let i = 0; i < 1000; i++) await store.audit.append(entry({ outcome: 'denied' }));
        expect(await store.audit.page({ limit: 10_000 })).toHaveLength(MAX_AUDIT_PAGE);
        const streamed: number[] = [];
        for await (const record of streamAudit(store.audit, { limit: 7 })) streamed.push(record.seq);
        expect(streamed).toEqual(Array.from({ length: 1025 }, (_, i) => i + 1));
        const bob: AuditRecord[] = [];
        for await (const record of streamAudit(store.audit, { user: 'bob', limit: 2 })) bob.push(record);
        expect(bob).toEqual(records.filter((r) => r.userName === 'bob'));
      });

      it('verifies an empty log and a long one', async () => {
        expect(await store.audit.verify()).toEqual({ ok: true, checked: 0 });
        for (let i = 0; i < 30; i++) await store.audit.append(entry({ detail: `n${i}` }));
        expect(await store.audit.verify()).toEqual({ ok: true, checked: 30 });
      });

      it('keeps one chain when appends race', async () => {
        const records = await Promise.all(Array.from({ length: 20 }, (_, i) => store.audit.append(entry({ detail: `r${i}` }))));
        expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        expect(await store.audit.verify()).toEqual({ ok: true, checked: 20 });
      });

      it('prunes old records but never the newest, and the rest still verifies', async () => {
        for (let i = 0; i < 5; i++) await store.audit.append(entry({ detail: `old${i}` }));
        expect(await store.audit.prune(new Date(0))).toBe(0);
        expect(await store.audit.prune(new Date(Date.now() + 60_000))).toBe(4);
        expect((await store.audit.query()).map((r) => r.seq)).toEqual([5]);
        expect(await store.audit.verify()).toEqual({ ok: true, checked: 1 });
        const next = await store.audit.append(entry());
        expect(next.seq).toBe(6);
        expect(await store.audit.verify()).toEqual({ ok: true, checked: 2 });
        expect(await store.audit.prune(new Date(Date.now() + 60_000))).toBe(1);
        expect(await store.audit.verify()).toEqual({ ok: true, checked: 1 });
      });
    });
  });
}
