import { Queue, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { newJobId, silentLogger, type QueuedJob } from '../core/index.js';
import { BullmqJobQueue, bullmqJobOptions, connectRedis, startBullmqWorker } from '../workers/index.js';

export interface ThroughputResult {
  concurrency: number;
  jobs: number;
  rawJobsPerSecond: number;
  opsbotJobsPerSecond: number;
}

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function job(): QueuedJob {
  return {
    jobId: newJobId(),
    action: { action: 'train', args: { model: 'bench', dataset: 'x.csv' } },
    requestedBy: { platform: 'local', workspace: '', userId: 'bench', displayName: 'bench' },
    conversation: { platform: 'local', workspace: '', channelId: 'bench' },
  };
}

/** Resolves when `count` reaches `total`. */
function counter(total: number) {
  let done = 0;
  let resolve!: () => void;
  const finished = new Promise<void>((r) => (resolve = r));
  return {
    finished,
    tick() {
      done += 1;
      if (done === total) resolve();
    },
  };
}

async function cleanup(prefix: string): Promise<void> {
  const redis = connectRedis(redisUrl);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

/** Raw BullMQ: a Queue and a Worker with a no-op processor. */
async function rawBullmq(jobs: number, concurrency: number): Promise<number> {
  const prefix = `bench-raw-${randomUUID().slice(0, 8)}`;
  const connection = connectRedis(redisUrl);
  const queue = new Queue('train', { connection, prefix });
  const done = counter(jobs);
  const worker = new Worker('train', async () => done.tick(), { connection: connection.duplicate(), prefix, concurrency });
  await worker.waitUntilReady();
  const started = performance.now();
  // The same BullMQ job options opsbot uses (retries, retention), so the ratio measures only opsbot's layer.
  const options = bullmqJobOptions({ attempts: 3, backoffMs: 1000 });
  await Promise.all(
    Array.from({ length: jobs }, () => {
      const payload = job();
      return queue.add('train', payload, { jobId: payload.jobId, ...options });
    }),
  );
  await done.finished;
  const seconds = (performance.now() - started) / 1000;
  await worker.close();
  await queue.close();
  connection.disconnect();
  await cleanup(prefix);
  return jobs / seconds;
}

/** opsbot's queue layer: BullmqJobQueue.enqueue and startBullmqWorker (payload validation, cancellation, context). */
async function opsbotLayer(jobs: number, concurrency: number): Promise<number> {
  const prefix = `bench-opsbot-${randomUUID().slice(0, 8)}`;
  const connection = connectRedis(redisUrl);
  const queue = new BullmqJobQueue({ connection, prefix, attempts: 3, backoffMs: 1000 });
  const done = counter(jobs);
  const worker = await startBullmqWorker({
    connection,
    prefix,
    workerId: 'bench',
    concurrency,
    lockDurationMs: 30_000,
    stalledIntervalMs: 30_000,
    retryPolicy: { attempts: 3, backoffMs: 1000 },
    log: silentLogger,
    kinds: ['train'],
    processor: async () => {
      done.tick();
      return { summary: 'ok' };
    },
  });
  const started = performance.now();
  await Promise.all(Array.from({ length: jobs }, () => queue.enqueue(job())));
  await done.finished;
  const seconds = (performance.now() - started) / 1000;
  await worker.close();
  await queue.close();
  connection.disconnect();
  await cleanup(prefix);
  return jobs / seconds;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Alternates raw and opsbot runs so machine noise hits both alike; reports medians. */
export async function benchQueueThroughput(jobs = 2000, rounds = 3, concurrencies = [1, 50]): Promise<ThroughputResult[]> {
  const results: ThroughputResult[] = [];
  for (const concurrency of concurrencies) {
    await rawBullmq(200, concurrency);
    await opsbotLayer(200, concurrency);
    const raw: number[] = [];
    const ours: number[] = [];
    for (let round = 0; round < rounds; round++) {
      raw.push(await rawBullmq(jobs, concurrency));
      ours.push(await opsbotLayer(jobs, concurrency));
    }
    results.push({ concurrency, jobs, rawJobsPerSecond: median(raw), opsbotJobsPerSecond: median(ours) });
  }
  return results;
}
