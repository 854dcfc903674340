import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { statusReply } from '../../../../core/dispatch/status-reply.js';
import type { JobEvent } from '../../../../core/index.js';
import { openSqliteStateStore } from '../../../../store/index.js';
import { BullmqJobQueue } from '../../../../workers/bullmq/bullmq-job-queue.js';
import { connectRedis } from '../../../../workers/bullmq/redis-connection.js';
import { eventually } from '../../../helpers/eventually.js';
import { alice, queuedJob, terminal } from '../../../helpers/fixtures.js';
import { deleteKeys, REDIS_URL, uniquePrefix } from '../../../helpers/redis.js';
import { TrainerWorkerProcess } from './worker-process.js';

interface Artifact {
  cudaVisibleDevices: string;
  workerId: string;
  startedAt: number;
  finishedAt: number;
}

describe('GPU scheduling across worker processes on BullMQ', () => {
  let dir: string;
  let env: Record<string, string>;
  let connection: Redis;
  let queue: BullmqJobQueue;
  let events: JobEvent[];
  const workers: TrainerWorkerProcess[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-gpu-'));
    env = {
      REDIS_URL,
      OPSBOT_QUEUE_PREFIX: uniquePrefix('gpu'),
      OPSBOT_LOCK_DURATION_MS: '1500',
      OPSBOT_STALLED_INTERVAL_MS: '1000',
      ARTIFACTS: join(dir, 'artifacts'),
      EPOCH_MS: '100',
    };
    connection = connectRedis(REDIS_URL);
    queue = new BullmqJobQueue({ connection, prefix: env.OPSBOT_QUEUE_PREFIX as string, attempts: 2, backoffMs: 100 });
    await queue.listen();
    events = [];
    queue.onEvent((event) => events.push(event));
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop('SIGKILL')));
    await queue.close();
    await deleteKeys(env.OPSBOT_QUEUE_PREFIX as string);
    connection.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const startWorker = async (workerId: string, gpus: string) => {
    const worker = await TrainerWorkerProcess.start(env, workerId, gpus);
    workers.push(worker);
    return worker;
  };
  /** Enqueues a train job that runs `epochs` × 100 ms on `gpus` GPUs. */
  const train = async (gpus: number, epochs: number) => {
    const job = queuedJob({ action: 'train', args: { model: 'bert', dataset: 'intents.csv', epochs, gpus } });
    await queue.enqueue(job);
    return job.jobId;
  };
  const saw = (jobId: string, type: JobEvent['type']) => events.some((e) => e.jobId === jobId && e.type === type);
  const settled = (jobId: string, type: 'completed' | 'failed' = 'completed') => eventually(`${jobId} ${type}`, () => saw(jobId, type), 30_000);
  const artifactPath = (jobId: string, attempt = 1) => join(dir, 'artifacts', `${jobId}.attempt-${attempt}.json`);
  const artifact = (jobId: string, attempt = 1): Artifact => JSON.parse(readFileSync(artifactPath(jobId, attempt), 'utf8'));

  it('holds a 2-GPU job until the 2-GPU worker is free, never on the 1-GPU worker, and no GPU runs two jobs at once', async () => {
    await startWorker('gpu-2', '0:A100:40960,1:A100:40960');
    const long = await train(1, 50);
    await eventually('the long job running', () => saw(long, 'progress'));
    const small = await startWorker('gpu-1', '0:T4:15360');
    const big = await train(2, 3);
    const others = [await train(1, 3), await train(1, 3), await train(0, 2)];

    // gpu-1 is free, yet the 2-GPU job waits for gpu-2's second GPU.
    await eventually('gpu-1 advertised', async () => (await queue.workers()).some((w) => w.workerId === 'gpu-1'));
    expect(await queue.describe(big)).toEqual({ state: 'waiting', queue: 'train-gpu-2', position: 1, waiting: 1, gpusNeeded: 2 });
    expect(await queue.describe(long)).toEqual({ state: 'running', queue: 'train-gpu-1', gpusNeeded: 1, workerId: 'gpu-2', gpus: [0] });

    for (const jobId of [long, big, ...others]) await settled(jobId);
    expect(artifact(big)).toMatchObject({ workerId: 'gpu-2', cudaVisibleDevices: '0,1' });
    expect(artifact(big).startedAt).toBeGreaterThanOrEqual(artifact(long).finishedAt);
    expect(artifact(others[2] as string).cudaVisibleDevices).toBe('');

    const runs = [long, big, ...others].map((jobId) => artifact(jobId));
    for (const run of runs.filter((r) => r.workerId === 'gpu-1')) expect(run.cudaVisibleDevices.split(',').length).toBeLessThanOrEqual(1);
    for (const a of runs) {
      for (const b of runs) {
        if (a === b || a.workerId !== b.workerId || a.finishedAt <= b.startedAt || b.finishedAt <= a.startedAt) continue;
        const shared = a.cudaVisibleDevices.split(',').filter((gpu) => gpu !== '' && b.cudaVisibleDevices.split(',').includes(gpu));
        expect({ a, b, shared }).toEqual({ a, b, shared: [] });
      }
    }
    expect(small.stderr).not.toMatch(/error/);

    // A job no live worker can fit waits, and status says why.
    const store = openSqliteStateStore(':memory:');
    const huge = queuedJob({ action: 'train', args: { model: 'bert', dataset: 'intents.csv', epochs: 1, gpus: 3 } });
    await store.jobs.create({ id: huge.jobId, kind: 'train', args: huge.action.args, requestedBy: alice, conversation: terminal, text: 'train bert --gpus 3' });
    await queue.enqueue(huge);
    expect((await statusReply(store.jobs, huge.jobId, queue)).text).toMatch(
      /Waiting: #1 of 1 in the train-gpu-3 queue \(needs 3 GPUs\)\. No live worker has 3 GPUs \(the largest has 2\); it starts when one joins\.$/,
    );
    const list = await statusReply(store.jobs, undefined, queue);
    expect(list.text).toMatch(/Workers:\n {2}gpu-1 {2}GPUs: 0 T4: free {2}running: idle\n {2}gpu-2 {2}GPUs: 0 A100: free · 1 A100: free {2}running: idle$/);
    expect(await queue.cancel(huge.jobId)).toBe('removed');
    await store.close();
  }, 60_000);

  it('recovers a killed worker’s GPU job on another worker with free GPUs, and forgets the dead worker', async () => {
    const doomed = await startWorker('gpu-a', '2');
    const job = await train(2, 40);
    await eventually('the job running on gpu-a', () => saw(job, 'progress'));
    await startWorker('gpu-b', '2');
    await doomed.stop('SIGKILL');

    await eventually('gpu-a’s advertisement expired', async () => !(await queue.workers()).some((w) => w.workerId === 'gpu-a'), 10_000);
    await settled(job);
    expect(artifact(job, 2)).toMatchObject({ workerId: 'gpu-b', cudaVisibleDevices: '0,1' });
    // The advertisement is refreshed shortly after a job ends, not in the same instant.
    const survivor = await eventually('gpu-b advertising itself idle', async () => {
      const [worker] = await queue.workers();
      return worker?.jobIds.length === 0 && worker;
    }, 10_000);
    expect(survivor).toMatchObject({ workerId: 'gpu-b', jobIds: [] });
    expect(survivor.gpus.map((g) => g.jobId)).toEqual([undefined, undefined]);
  }, 60_000);

  it('stops a cancelled GPU job and hands its GPU to the next job', async () => {
    await startWorker('gpu-1', '1');
    const running = await train(1, 100);
    const waiting = await train(1, 2);
    await eventually('the first job running', () => saw(running, 'progress'));
    expect(await queue.describe(waiting)).toMatchObject({ state: 'waiting', position: 1 });

    expect(await queue.cancel(running)).toBe('signalled');
    await settled(running, 'failed');
    await settled(waiting);
    expect(artifact(waiting)).toMatchObject({ workerId: 'gpu-1', cudaVisibleDevices: '0' });
    expect(existsSync(artifactPath(running))).toBe(false);
  }, 60_000);
});
