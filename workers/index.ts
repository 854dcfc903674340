export { InProcessJobQueue } from './in-process/in-process-job-queue.js';
export { BullmqJobQueue, type BullmqQueueOptions } from './bullmq/bullmq-job-queue.js';
export { startBullmqWorker, type BullmqWorkerOptions } from './bullmq/bullmq-job-worker.js';
export { connectRedis } from './bullmq/redis-connection.js';
export { createJobRunner } from './job-runner.js';
export { newWorkerId } from './worker-id.js';
export type { RetryPolicy } from './retry-policy.js';
export type { HandlerDeps } from './handlers/index.js';
export { bullmqJobOptions } from './bullmq/bullmq-job-queue.js';
