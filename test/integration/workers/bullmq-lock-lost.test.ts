import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { actionLimitsFrom, defaultConfig, externalTrainerSchema, newJobId, type JobAction, type JobWorker, type Logger, type QueuedJob, type StateStore } from '../../../core/index.js';
import { openSqliteStateStore } from '../../../store/index.js';
import { BullmqJobQueue, connectRedis, createJobRunner, startBullmqWorker } from '../../../workers/index.js';
import { queueNameFor } from '../../../workers/bullmq/queue-names.js';
import { eventually } from '../../helpers/eventually.js';
import { alice, terminal } from '../../helpers/fixtures.js';
import { deleteKeys, REDIS_URL, uniquePrefix } from '../../helpers/redis.js';
import { isAlive } from '../../helpers/process-alive.js';

const TRAINER = fileURLToPath(new URL('../../fixtures/external-trainers/hang-once-trainer.mjs', import.meta.url));
/**
 * Two workers share the store and the data directory. The first attempt's lock
 * vanishes while it runs (its key is deleted, as when it expires under a stalled
 * event loop): the stalled check hands the job to the other worker, and the first
 * attempt must stop and commit nothing, so the artifact registered is the second's.
 */
describe.each([
  ['a CPU job (BullMQ’s own worker loop)', 0],
  ['a GPU job (the GPU consumer)', 1],
])('BullMQ: %s whose lock is lost', (_name, gpus) => {
  let dir: string;
  let prefix: string;
  let connection: Redis;
  let queue: BullmqJobQueue;
  let store: StateStore;
  const workers: JobWorker[] = [];
  const warnings: Array<{ message: string; details: Record<string, unknown> }> = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-lock-'));
    prefix = uniquePrefix('lock');
    connection = connectRedis(REDIS_URL);
    queue = new BullmqJobQueue({ connection, prefix, attempts: 2, backoffMs: 100 });
    await queue.listen();
    store = openSqliteStateStore(':memory:');
    warnings.length = 0;
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.close()));
    await queue.close();
    await store.close();
    await deleteKeys(prefix);
    connection.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const log: Logger = {
    debug() {},
    info() {},
    warn: (details, message) => void warnings.push({ message: message ?? '', details: details as Record<string, unknown> }),
    error() {},
  };

  const startWorker = async (workerId: string) => {
    const config = defaultConfig();
    const environments = config.environments.map((env) => env.name);
    const trainer = externalTrainerSchema.parse({
      command: `"${process.execPath}" "${TRAINER}" --data {dataset} --epochs {epochs} --out {artifact} --marker "${join(dir, 'first-run.pid')}"`,
      killGraceSeconds: 1,
    });
    const processor = createJobRunner({
      store,
      dataDir: join(dir, 'state'),
      workDir: dir,
      log,
      limits: { ...actionLimitsFrom(config), environments },
      environments,
      models: { 'bert-intents': { trainer } },
    });
    workers.push(
      await startBullmqWorker({
        connection,
        prefix,
        workerId,
        // One job at a time: a worker busy with the first attempt cannot take the second.
        concurrency: 1,
        lockDurationMs: 1500,
        stalledIntervalMs: 500,
        gpuPollMs: 100,
        retryPolicy: { attempts: 2, backoffMs: 100 },
        processor,
        log,
        gpus: gpus > 0 ? [{ index: 0, name: 'test GPU' }] : [],
      }),
    );
  };

  it('stops the first attempt, which commits nothing; the second attempt’s artifact is the one registered', async () => {
    await startWorker('worker-a');
    await startWorker('worker-b');
    const action: JobAction = { action: 'train', args: { model: 'bert-intents', dataset: 'intents.csv', epochs: 2, gpus } };
    const job: QueuedJob = { jobId: newJobId(), action, requestedBy: alice, conversation: terminal };
    await store.jobs.create({ id: job.jobId, kind: 'train', args: action.args, requestedBy: alice, conversation: terminal, text: 'train' });
    await queue.enqueue(job);

    const marker = join(dir, 'first-run.pid');
    await eventually('the first attempt’s trainer runs', () => existsSync(marker) && readFileSync(marker, 'utf8') !== '', 20_000);
    await connection.del(`${prefix}:${queueNameFor(job)}:${job.jobId}:lock`);

    await eventually('the job completes', async () => (await store.jobs.get(job.jobId))?.status === 'completed', 30_000);
    const record = await store.jobs.get(job.jobId);
    expect(record).toMatchObject({ status: 'completed', attempts: 2 });

    // The first attempt's trainer, which never ends by itself, was stopped; its attempt logged why and recorded nothing.
    await eventually('the first trainer stopped', () => !isAlive(Number(readFileSync(marker, 'utf8'))), 10_000);
    expect(warnings).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/lost the job lock/), details: expect.objectContaining({ jobId: job.jobId, attempt: 1 }) }));
    const audit = await store.audit.query({ jobId: job.jobId, limit: 50 });
    expect(audit.filter((entry) => entry.outcome !== 'started').map((entry) => [entry.outcome, entry.attempt])).toEqual([['completed', 2]]);

    const versions = await store.registry.listVersions('bert-intents');
    expect(versions).toHaveLength(1);
    expect(versions[0]?.artifactPath).toBe(join('models', 'bert-intents', job.jobId, 'artifact'));
    expect(JSON.parse(readFileSync(join(dir, 'state', versions[0]?.artifactPath as string), 'utf8'))).toEqual({ data: 'intents.csv', run: 'after the first' });
    // Nothing half-written is left beside it: no attempt directory of either attempt.
    await eventually('attempt directories are gone', () => readdirSync(join(dir, 'state', 'models', 'bert-intents')).length === 1, 10_000);
    expect(readdirSync(join(dir, 'state', 'models', 'bert-intents'))).toEqual([job.jobId]);
  }, 60_000);
});
