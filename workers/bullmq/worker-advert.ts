import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../../core/index.js';
import type { GpuStatus, WorkerStatus } from '../../core/queue/worker-status.js';
import { workerIndexKey, workerKey } from './queue-names.js';

const advertSchema = z.object({
  workerId: z.string(),
  host: z.string(),
  kinds: z.array(z.string()),
  gpus: z.array(
    z.object({ index: z.number().int(), name: z.string(), memoryMiB: z.number().optional(), jobId: z.string().optional() }),
  ),
  jobIds: z.array(z.string()),
  seenAt: z.string(),
});

export interface WorkerAdvertOptions {
  connection: Redis;
  prefix: string;
  workerId: string;
  kinds: readonly string[];
  /** How long an advertisement outlives its last renewal: a killed worker vanishes after this. */
  ttlMs: number;
  /** What to advertise right now. */
  snapshot: () => { gpus: GpuStatus[]; jobIds: string[] };
  log: Logger;
}

/** How long a CPU job's start or end may take to show: one publish per this, however many jobs pass. */
const SOON_MS = 250;

/**
 * Keeps this worker's advertisement in Redis: renewed every third of its TTL, at
 * once when a GPU is taken or freed, and soon after CPU jobs start or end (batched,
 * so thousands of short jobs cost a few writes a second), deleted on a clean close.
 * A killed worker's advertisement simply expires.
 */
export class WorkerAdvert {
  private timer?: NodeJS.Timeout;
  private publishing: Promise<void> = Promise.resolve();
  private soon?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: WorkerAdvertOptions) {}

  async start(): Promise<void> {
    await this.publish();
    this.timer = setInterval(() => this.refresh(), Math.max(100, Math.floor(this.options.ttlMs / 3)));
  }

  /** Publishes after any publish in flight, so the last one written is the newest. */
  refresh(): void {
    this.publishing = this.publishing.then(() => this.publish());
  }

  /** Publishes within SOON_MS; calls meanwhile share that one publish. */
  refreshSoon(): void {
    this.soon ??= setTimeout(() => {
      this.soon = undefined;
      this.refresh();
    }, SOON_MS);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    clearTimeout(this.soon);
    await this.publishing;
    const { connection, prefix, workerId } = this.options;
    await connection.multi().del(workerKey(prefix, workerId)).zrem(workerIndexKey(prefix), workerId).exec();
  }

  private async publish(): Promise<void> {
    if (this.closed) return;
    const { connection, prefix, workerId, kinds, ttlMs, log } = this.options;
    const status: WorkerStatus = { workerId, host: hostname(), kinds, ...this.options.snapshot(), seenAt: new Date().toISOString() };
    try {
      await connection
        .multi()
        .set(workerKey(prefix, workerId), JSON.stringify(status), 'PX', ttlMs)
        .zadd(workerIndexKey(prefix), Date.now() + ttlMs, workerId)
        .exec();
    } catch (error) {
      log.warn({ err: error, workerId }, 'could not renew the worker advertisement');
    }
  }
}

/** The live workers' advertisements; expired ones are dropped from the index on the way. */
export async function readWorkerAdverts(connection: Redis, prefix: string): Promise<WorkerStatus[]> {
  const index = workerIndexKey(prefix);
  await connection.zremrangebyscore(index, '-inf', Date.now());
  const ids = await connection.zrange(index, 0, -1);
  if (ids.length === 0) return [];
  const values = await connection.mget(...ids.map((id) => workerKey(prefix, id)));
  const workers: WorkerStatus[] = [];
  for (const value of values) {
    if (value === null) continue;
    try {
      const parsed = advertSchema.safeParse(JSON.parse(value));
      if (parsed.success) workers.push(parsed.data as WorkerStatus);
    } catch {
      // Not JSON: not an advertisement opsbot wrote; skip it.
    }
  }
  return workers.sort((a, b) => a.workerId.localeCompare(b.workerId));
}
