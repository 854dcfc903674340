import { silentLogger } from '../../../core/index.js';
import { BullmqJobQueue, InProcessJobQueue, connectRedis, startBullmqWorker } from '../../../workers/index.js';
import { defineJobQueueContract } from '../../helpers/job-queue-contract.js';
import { deleteKeys, REDIS_URL, uniquePrefix } from '../../helpers/redis.js';

const policy = { attempts: 3, backoffMs: 50 };

defineJobQueueContract('in-process', async () => {
  const queue = new InProcessJobQueue({ ...policy, concurrency: 2 });
  return {
    queue,
    startWorker: async (processor) => queue.startWorker(processor, 'test-worker'),
    close: () => queue.close(),
  };
});

defineJobQueueContract('BullMQ', async () => {
  const prefix = uniquePrefix('contract');
  const connection = connectRedis(REDIS_URL);
  const queue = new BullmqJobQueue({ ...policy, connection, prefix });
  await queue.listen();
  return {
    queue,
    startWorker: (processor) =>
      startBullmqWorker({
        connection,
        prefix,
        workerId: 'test-worker',
        concurrency: 2,
        lockDurationMs: 5000,
        stalledIntervalMs: 5000,
        retryPolicy: policy,
        processor,
        log: silentLogger,
      }),
    close: async () => {
      await queue.close();
      await deleteKeys(prefix);
      connection.disconnect();
    },
  };
});
