import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermanentJobError, silentLogger, type StateStore } from '../../../../core/index.js';
import { openSqliteStateStore } from '../../../../store/index.js';
import { JOB_HANDLERS } from '../../../../workers/handlers/index.js';
import { pruneModel, sweepOrphans } from '../../../../workers/retention/model-retention.js';
import { alice, jobContext, queuedJob, terminal } from '../../../helpers/fixtures.js';

const context = jobContext();

describe('model retention', () => {
  let dataDir: string;
  let store: StateStore;
  const environments = ['dev', 'staging', 'prod'];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'opsbot-retention-'));
    store = openSqliteStateStore(':memory:');
  });
  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A version with a 1 kB file in its own job directory, as the trainer lays them out. */
  async function version(jobId: string, subdir = '', params: Record<string, unknown> = {}) {
    const dir = join(dataDir, 'models', 'sentiment', jobId, subdir);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'model.onnx'), new Uint8Array(1000));
    return store.registry.registerVersion({
      model: 'sentiment',
      createdBy: 'local::alice',
      jobId,
      dataset: 'data/sentiment.csv',
      datasetHash: 'h',
      metrics: {},
      params,
      artifactPath: join('models', 'sentiment', jobId, subdir, 'model.json'),
    });
  }
  const deploy = (v: number, env: string) => store.deployments.record({ model: 'sentiment', env, version: v, change: 'deploy', jobId: `j-dep${v}${env}`, by: 'local::alice' });
  const jobDir = (jobId: string) => join(dataDir, 'models', 'sentiment', jobId);
  const versions = async () => (await store.registry.listVersions('sentiment')).map((v) => v.version);

  it('keeps the newest N and every deployed version, and removes the rest with their files', async () => {
    for (const id of ['j-aaaa0001', 'j-aaaa0002', 'j-aaaa0003', 'j-aaaa0004', 'j-aaaa0005']) await version(id);
    await deploy(1, 'prod');
    await deploy(4, 'staging');
    const outcome = await pruneModel({ store, dataDir, environments }, 'sentiment', 2, 60);
    expect(outcome).toEqual({ deleted: [2, 3], keptDeployed: [1], orphans: 0, bytes: 2000 });
    expect(await versions()).toEqual([1, 4, 5]);
    expect([1, 2, 3, 4, 5].map((n) => existsSync(jobDir(`j-aaaa000${n}`)))).toEqual([true, false, false, true, true]);
    // A deleted number is never reused.
    expect((await version('j-aaaa0006')).version).toBe(6);
  });

  it('keeps the newest FP32 version behind INT8 copies, and versions that queued or running jobs name', async () => {
    for (const id of ['j-aaaa0001', 'j-aaaa0002', 'j-aaaa0003']) await version(id);
    await version('j-aaaa0004', '', { quantized: 'int8' });
    await store.jobs.create({ id: 'j-eval0001', kind: 'evaluate', args: { model: 'sentiment', version: '1' }, requestedBy: alice, conversation: terminal, text: 'evaluate sentiment v1' });
    const outcome = await pruneModel({ store, dataDir, environments }, 'sentiment', 1, 60);
    // v4 is the newest; v3 is the FP32 version incremental training and quantize start from; v1 is being evaluated.
    expect(outcome.deleted).toEqual([2]);
    expect(await versions()).toEqual([1, 3, 4]);
    expect(existsSync(jobDir('j-aaaa0001'))).toBe(true);
  });

  it("sweeps a finished job's unused directory, but never a running job's or a young one", async () => {
    await version('j-kept0001', 'trial-2');
    const finished = await store.jobs.create({ id: 'j-gone0001', kind: 'tune', args: { model: 'sentiment' }, requestedBy: alice, conversation: terminal, text: 'tune sentiment' });
    await store.jobs.finish(finished.id, { status: 'cancelled', error: 'cancelled' });
    await store.jobs.create({ id: 'j-busy0001', kind: 'train', args: { model: 'sentiment' }, requestedBy: alice, conversation: terminal, text: 'train sentiment' });
    for (const dir of ['j-gone0001/trial-1', 'j-busy0001', 'j-gone0001.attempt-1-abcd', 'j-young001']) mkdirSync(jobDir(dir), { recursive: true });
    writeFileSync(join(jobDir('j-gone0001/trial-1'), 'model.onnx'), new Uint8Array(500));
    const hourAgo = new Date(Date.now() - 3600_000);
    for (const dir of ['j-gone0001', 'j-busy0001', 'j-gone0001.attempt-1-abcd', 'j-kept0001']) utimesSync(jobDir(dir), hourAgo, hourAgo);
    expect(await sweepOrphans({ store, dataDir, environments }, 'sentiment', 30)).toEqual({ orphans: 2, bytes: 500 });
    expect(['j-kept0001', 'j-gone0001', 'j-busy0001', 'j-gone0001.attempt-1-abcd', 'j-young001'].map((d) => existsSync(jobDir(d)))).toEqual([true, false, true, false, true]);
  });

  it('delete refuses a version deployed in any environment, and deletes another with its files', async () => {
    await version('j-aaaa0001');
    await version('j-aaaa0002');
    await deploy(1, 'dev');
    await deploy(1, 'prod');
    const deps = { store, dataDir, workDir: dataDir, log: silentLogger, environments };
    const refused = await JOB_HANDLERS.delete({ action: 'delete', args: { model: 'sentiment', version: '1' } }, queuedJob(), context, deps).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PermanentJobError);
    expect((refused as PermanentJobError).userMessage).toBe(
      'sentiment v1 is deployed in dev and prod, so it cannot be deleted; deploy another version there (or roll back) first, then delete it',
    );
    const result = await JOB_HANDLERS.delete({ action: 'delete', args: { model: 'sentiment', version: '2' } }, queuedJob(), context, deps);
    expect(result.summary).toBe('Deleted sentiment v2 and its files (0.0 MB freed).');
    expect(await versions()).toEqual([1]);
    expect(existsSync(jobDir('j-aaaa0002'))).toBe(false);
    expect(existsSync(jobDir('j-aaaa0001'))).toBe(true);
  });

  it('prune without --keep uses the configured policy', async () => {
    for (const id of ['j-aaaa0001', 'j-aaaa0002', 'j-aaaa0003']) await version(id);
    const deps = { store, dataDir, workDir: dataDir, log: silentLogger, environments, retention: { keepVersions: 1, orphanMinutes: 0 } };
    const result = await JOB_HANDLERS.prune({ action: 'prune', args: { model: 'sentiment' } }, queuedJob(), context, deps);
    expect(result.summary).toBe('Pruned sentiment, keeping the newest 1: deleted v1, v2 (0.0 MB freed).');
    expect(await versions()).toEqual([3]);
  });
});
