import { PermanentJobError, silentLogger, type JobProcessor, type JobQueue, type JobWorker, type QueuedJob } from '../../../core/index.js';
import type { QueueCounts, WorkerCapacity } from '../../../core/queue/queue-counts.js';
import { BullmqJobQueue, InProcessJobQueue, connectRedis, startBullmqWorker } from '../../../workers/index.js';
import { eventually } from '../../helpers/eventually.js';
import { queuedJob } from '../../helpers/fixtures.js';
import { deleteKeys, REDIS_URL, uniquePrefix } from '../../helpers/redis.js';

const policy = { attempts: 1, backoffMs: 50 };

interface Driver {
  queue: JobQueue;
  /** The queue a `scale` job waits in. */
  queueName: string;
  worker(processor: JobProcessor): Promise<Pick<JobWorker, 'capacity'>>;
  close(): Promise<void>;
}

/** A processor whose jobs run until released; a job whose model is `broken` fails for good. */
function blockingProcessor(): { processor: JobProcessor; release(): void } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    release: () => release(),
    processor: async (job) => {
      if ((job.action.args as { model?: string }).model === 'broken') throw new PermanentJobError('broken on purpose');
      await released;
      return { summary: 'done' };
    },
  };
}

const scale = (model: string): QueuedJob => queuedJob({ action: 'scale', args: { model, env: 'staging', replicas: 2 } });

function describeDriver(name: string, start: () => Promise<Driver>): void {
  describe(`queue counts and worker capacity for metrics (${name})`, () => {
    let driver: Driver;
    let releaseJobs = () => undefined as void;
    beforeEach(async () => {
      driver = await start();
    });
    afterEach(async () => {
      // A failed expectation must not leave a job running that close() would wait for.
      releaseJobs();
      await driver.close();
    });

    const countsOf = async (queueName: string): Promise<QueueCounts | undefined> => (await driver.queue.counts!()).find((row) => row.queue === queueName);

    it('reports waiting, active and failed jobs per queue, and the job slots in use', async () => {
      const { processor, release } = blockingProcessor();
      releaseJobs = release;
      const worker = await driver.worker(processor);
      expect(worker.capacity?.()).toEqual<WorkerCapacity>({ jobSlots: { size: 1, used: 0 }, gpus: { size: 0, used: 0 } });
      expect(await countsOf(driver.queueName)).toEqual({ queue: driver.queueName, waiting: 0, active: 0, failed: 0, delayed: 0 });

      const failed = new Promise<void>((resolve) => driver.queue.onEvent((event) => event.type === 'failed' && resolve()));
      await driver.queue.enqueue(scale('broken'));
      await failed;
      await driver.queue.enqueue(scale('first'));
      await driver.queue.enqueue(scale('second'));
      const busy = await eventually('one running, one waiting', async () => {
        const counts = await countsOf(driver.queueName);
        return counts?.active === 1 && counts.waiting === 1 && counts;
      });
      expect(busy).toMatchObject({ failed: 1, delayed: 0 });
      // The queue marks a job active just before the worker's processor takes its slot.
      await eventually('the slot taken', () => worker.capacity?.().jobSlots.used === 1);
      expect(worker.capacity?.()).toEqual<WorkerCapacity>({ jobSlots: { size: 1, used: 1 }, gpus: { size: 0, used: 0 } });

      release();
      await eventually('all done', async () => {
        const counts = await countsOf(driver.queueName);
        return counts?.active === 0 && counts.waiting === 0;
      });
      await eventually('slot freed', () => worker.capacity?.().jobSlots.used === 0);
    }, 30_000);
  });
}

describeDriver('in-process', async () => {
  const queue = new InProcessJobQueue({ ...policy, concurrency: 1, gpus: [] });
  return {
    queue,
    queueName: 'in-process',
    worker: async (processor) => {
      queue.startWorker(processor, 'test-worker');
      return queue;
    },
    close: () => queue.close(),
  };
});

describeDriver('BullMQ', async () => {
  const prefix = uniquePrefix('metrics');
  const connection = connectRedis(REDIS_URL);
  const queue = new BullmqJobQueue({ ...policy, connection, prefix });
  await queue.listen();
  let worker: JobWorker | undefined;
  return {
    queue,
    queueName: 'scale',
    worker: async (processor) =>
      (worker = await startBullmqWorker({
        connection,
        prefix,
        workerId: 'test-worker',
        concurrency: 1,
        lockDurationMs: 5000,
        stalledIntervalMs: 5000,
        retryPolicy: policy,
        processor,
        log: silentLogger,
        kinds: ['scale'],
      })),
    close: async () => {
      await worker?.close();
      await queue.close();
      await deleteKeys(prefix);
      connection.disconnect();
    },
  };
});
