import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { OpsbotRuntime } from '../../../../app/runtime.js';
import { startDistributedBot, type DistributedBot } from '../../../helpers/distributed-bot.js';
import { eventually } from '../../../helpers/eventually.js';
import type { LocalChatDriver } from '../../../helpers/local-chat-driver.js';
import type { OpsbotProcess } from '../../../helpers/opsbot-process.js';
import { REDIS_URL } from '../../../helpers/redis.js';
import { writeNoisySentimentCsv } from '../../../helpers/text-dataset.js';

/** A tune job on BullMQ: its trials are child jobs that two `opsbot worker` processes share. */
describe('tune on BullMQ with two worker processes', () => {
  let bot: DistributedBot;
  let dir: string;
  let runtime: OpsbotRuntime;
  let chat: LocalChatDriver;
  let workerA: OpsbotProcess;

  beforeEach(async () => {
    // One trial at a time per worker, so a batch has to spread over both.
    bot = await startDistributedBot({ env: { OPSBOT_WORKER_CONCURRENCY: '1' } });
    ({ dir, runtime, chat } = bot);
    [workerA] = await Promise.all([bot.startWorker('worker-a'), bot.startWorker('worker-b')]);
  });

  afterEach(() => bot.stop());

  const job = (jobId: string) => runtime.store.jobs.get(jobId);

  /** Reads trial jobs as BullMQ holds them, in the tune-children queue. */
  async function withTrialQueue<T>(read: (children: Queue) => Promise<T>): Promise<T> {
    const redis = new Redis(REDIS_URL);
    const children = new Queue('tune-children', { connection: redis, prefix: bot.env.OPSBOT_QUEUE_PREFIX });
    try {
      return await read(children);
    } finally {
      await children.close();
      redis.disconnect();
    }
  }

  it('spreads the trials over both workers as child jobs, shows them in status, and registers the best', async () => {
    writeNoisySentimentCsv(dir, 20_000);
    chat.type('tune sentiment --dataset sentiment.csv --trials 4 --method grid --epochs 8');
    const [, jobId] = await chat.waitFor(/Job (j-[0-9a-z]+): tune sentiment on sentiment.csv — queued/);
    const id = jobId as string;

    // While the trials run, the parent waits for them and each worker runs one.
    const placement = await eventually('both workers running a trial', async () => {
      const found = await runtime.queue.workers?.();
      const busy = (found ?? []).filter((w) => w.jobIds.some((running) => running.startsWith(`${id}-trial-`)));
      return busy.length === 2 ? busy : undefined;
    }, 30_000);
    expect(placement.map((w) => w.workerId).sort()).toEqual(['worker-a', 'worker-b']);
    chat.type(`status ${id}`);
    // Which trial runs on which worker, from the workers' advertisements.
    await chat.waitFor(/Waiting for its child jobs: 2 running \((trial-\d on worker-[ab]), (trial-\d on worker-[ab])\), [0-2] waiting, [0-2] finished\./, 30_000);
    expect(chat.text).toMatch(/trial-\d on worker-a, trial-\d on worker-b|trial-\d on worker-b, trial-\d on worker-a/);

    await chat.waitFor(new RegExp(`Tuned sentiment over 4 trials \\(grid search\\)`), 90_000);
    const done = await job(id);
    expect(done).toMatchObject({ status: 'completed', attempts: 1 });
    const tally = String(done?.result?.details?.['trials ran on']);
    expect(tally).toMatch(/worker-a ×[1-3]/);
    expect(tally).toMatch(/worker-b ×[1-3]/);

    // One audited attempt: the steps after the parent waited are not new attempts.
    const audit = await runtime.store.audit.query({ jobId: id, limit: 50 });
    expect(audit.filter((r) => r.action === 'tune').map((r) => r.outcome).reverse()).toEqual(['accepted', 'started', 'completed']);

    // The trials are BullMQ children of the tune job, in the tune-children queue.
    const trials = await withTrialQueue((children) =>
      Promise.all([1, 2, 3, 4].map(async (n) => {
        const trial = await children.getJob(`${id}-trial-${n}`);
        return { parent: trial?.parent?.id, state: await trial?.getState() };
      })),
    );
    expect(trials.map((t) => t.parent)).toEqual([id, id, id, id]);
    expect(trials.map((t) => t.state)).toEqual(['completed', 'completed', 'completed', 'completed']);

    const v1 = await runtime.store.registry.getVersion('sentiment', 1);
    const winner = (v1?.params.tuned as { trial: number }).trial;
    expect(readdirSync(join(dir, 'state', 'models', 'sentiment', id))).toEqual([`trial-${winner}`]);
  }, 120_000);

  it('cancels a tune whose trials run on both workers, registering nothing and deleting every trial’s files', async () => {
    writeNoisySentimentCsv(dir, 40_000, 'big.csv');
    chat.type('tune big --dataset big.csv --trials 4 --method grid --epochs 60');
    const [, jobId] = await chat.waitFor(/Job (j-[0-9a-z]+): tune big/);
    const id = jobId as string;
    await eventually('trials training on both workers', async () => {
      const found = (await runtime.queue.workers?.()) ?? [];
      const progress = (await job(id))?.progress?.message ?? '';
      return found.filter((w) => w.jobIds.some((running) => running.startsWith(`${id}-trial-`))).length === 2 && / · epoch \d+\/60/.test(progress);
    }, 60_000);
    chat.type(`cancel ${id}`);
    await eventually('cancelled', async () => (await job(id))?.status === 'cancelled', 10_000);
    await chat.waitFor(new RegExp(`Job ${id}: tune big on big.csv — cancelled`));
    expect(await runtime.store.registry.listVersions('big')).toEqual([]);
    const jobDir = join(dir, 'state', 'models', 'big', id);
    await eventually('trial files deleted', () => !existsSync(jobDir) || readdirSync(jobDir).length === 0, 5000);
    // No trial is left running or waiting on either worker.
    await eventually('workers idle', async () => ((await runtime.queue.workers?.()) ?? []).every((w) => w.jobIds.length === 0), 10_000);
  }, 120_000);

  it('runs a trial again on the other worker when its worker is killed, and the search completes with every trial scored', async () => {
    writeNoisySentimentCsv(dir, 40_000, 'big.csv');
    chat.type('tune big --dataset big.csv --trials 3 --method grid --epochs 6');
    const [, jobId] = await chat.waitFor(/Job (j-[0-9a-z]+): tune big/);
    const id = jobId as string;
    const killed = await eventually('a trial training on worker-a', async () => {
      const a = ((await runtime.queue.workers?.()) ?? []).find((w) => w.workerId === 'worker-a');
      return a?.jobIds.find((running) => running.startsWith(`${id}-trial-`));
    }, 60_000);
    await workerA.stop('SIGKILL');

    await chat.waitFor(/Tuned big over 3 trials \(grid search\)/, 120_000);
    const details = (await job(id))?.result?.details ?? {};
    expect(Object.keys(details).filter((key) => key.startsWith('trial '))).toHaveLength(3);
    expect(details['other trials']).toBeUndefined();

    // BullMQ's stalled check handed the killed trial to worker-b, which ran it from the start.
    const retried = await withTrialQueue(async (children) => {
      const trial = await children.getJob(killed);
      return { attemptsStarted: trial?.attemptsStarted, state: await trial?.getState(), returnvalue: trial?.returnvalue as unknown };
    });
    expect(retried.attemptsStarted).toBe(2);
    expect(retried.state).toBe('completed');
    expect(retried.returnvalue).toMatchObject({ output: { worker: 'worker-b' } });
  }, 180_000);
});
