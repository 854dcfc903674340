import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { OpsbotRuntime } from '../../../app/runtime.js';
import { startDistributedBot, type DistributedBot } from '../../helpers/distributed-bot.js';
import { eventually } from '../../helpers/eventually.js';
import type { LocalChatDriver } from '../../helpers/local-chat-driver.js';
import { REDIS_URL } from '../../helpers/redis.js';
import { writeSentimentCsv } from '../../helpers/text-dataset.js';

describe('local adapter → BullMQ on Redis → `opsbot worker` processes', () => {
  let bot: DistributedBot;
  let dir: string;
  let runtime: OpsbotRuntime;
  let chat: LocalChatDriver;

  beforeEach(async () => {
    bot = await startDistributedBot();
    ({ dir, runtime, chat } = bot);
  }, 30_000);

  afterEach(() => bot.stop(), 30_000);

  it('turns a typed command into a BullMQ job that a worker process runs, with progress, reply and audit', async () => {
    // Big enough (and an MLP, which learns more slowly per epoch) that training spans
    // several throttled (1/s) progress updates before early stopping ends it.
    writeSentimentCsv(dir, 60_000);
    await bot.startWorker('worker-a');
    chat.type('train sentiment --dataset sentiment.csv --epochs 80 --algorithm mlp');
    const [, jobId] = await chat.waitFor(/Job (j-[0-9a-z]+): train sentiment on sentiment.csv — queued/);
    // Training 60,000 rows takes tens of seconds on a busy machine: a budget of its own, not waitFor's 20 s.
    await chat.waitFor(new RegExp(`Job ${jobId}: train sentiment on sentiment.csv — completed`), 90_000);
    expect(chat.text).toMatch(/Trained sentiment v1 on 60000 examples/);
    expect(chat.text).toMatch(new RegExp(`Job ${jobId}: .* — running\\n.*epoch \\d+/80 · loss`));

    const redis = new Redis(REDIS_URL);
    const queue = new Queue('train', { connection: redis, prefix: bot.env.OPSBOT_QUEUE_PREFIX });
    const bullJob = await queue.getJob(jobId as string);
    expect(bullJob?.data).toMatchObject({ jobId, action: { action: 'train', args: { model: 'sentiment', dataset: 'sentiment.csv', epochs: 80, algorithm: 'mlp' } } });
    expect(await bullJob?.getState()).toBe('completed');
    await queue.close();
    redis.disconnect();

    const audit = await runtime.store.audit.query({ jobId, limit: 50 });
    expect(audit.map((r) => r.outcome).reverse()).toEqual(['accepted', 'started', 'completed']);
    expect(audit.find((r) => r.outcome === 'started')?.detail).toBe('worker worker-a');
    expect(audit.every((r) => r.userId === 'alice' && r.platform === 'local')).toBe(true);
    expect((await runtime.store.registry.listVersions('sentiment')).map((v) => v.version)).toEqual([1]);
  }, 150_000);

  it('recovers a job whose worker is killed mid-job: another worker finishes it once, and the audit shows both attempts', async () => {
    writeSentimentCsv(dir, 100_000);
    const first = await bot.startWorker('worker-a');
    chat.type('train sentiment --dataset sentiment.csv --epochs 120');
    const [, jobId] = await chat.waitFor(/Job (j-[0-9a-z]+): train sentiment/);
    // Killed as soon as it runs the job (reading and featurising 100,000 rows takes seconds),
    // and only then is a second worker started, so the job cannot simply go to it first.
    await eventually('the job running on worker-a', async () => {
      const job = await runtime.store.jobs.get(jobId as string);
      return job?.status === 'active' && job.workerId === 'worker-a';
    }, 60_000);
    await first.stop('SIGKILL');
    expect((await runtime.store.jobs.get(jobId as string))?.status).toBe('active');
    await bot.startWorker('worker-b');

    const done = await eventually('the job completed', async () => {
      const job = await runtime.store.jobs.get(jobId as string);
      return job?.status === 'completed' ? job : undefined;
    }, 90_000);
    expect(done.workerId).toBe('worker-b');
    expect(done.attempts).toBe(2);

    const audit = (await runtime.store.audit.query({ jobId, limit: 50 })).reverse();
    expect(audit.filter((r) => r.outcome === 'started').map((r) => [r.attempt, r.detail])).toEqual([
      [1, 'worker worker-a'],
      [2, 'worker worker-b'],
    ]);
    expect(audit.filter((r) => r.outcome === 'completed')).toHaveLength(1);
    expect((await runtime.store.registry.listVersions('sentiment')).map((v) => v.version)).toEqual([1]);
    await chat.waitFor(new RegExp(`Job ${jobId}: train sentiment on sentiment.csv — completed`));
    expect(chat.text.match(new RegExp(`Job ${jobId}: [^\\n]* — completed`, 'g'))).toHaveLength(1);
    expect((await runtime.store.audit.verify()).ok).toBe(true);
  }, 180_000);
});
