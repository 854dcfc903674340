import { Redis } from 'ioredis';
import { silentLogger, type Logger } from '../../core/index.js';
import type { Prediction } from '../prediction.js';

/**
 * The shared cache tier: replicas of one version read each other's predictions. It is
 * only a cache, so Redis being slow or away must never fail or stall a request: no
 * offline queue, no retries per command, a short command timeout, and any error is a miss.
 */
export class RedisPredictionTier {
  private readonly redis: Redis;
  private warned = false;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly ttlMs: number,
    private readonly classes: number,
    private readonly log: Logger = silentLogger,
  ) {
    this.redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 250, lazyConnect: false });
    this.redis.on('error', (error: Error) => this.warnOnce(error));
    this.redis.on('ready', () => (this.warned = false));
  }

  /** The cached predictions of `keys`, undefined where none is (or Redis cannot answer). */
  async get(keys: readonly string[]): Promise<(Prediction | undefined)[]> {
    try {
      const values = await this.redis.mget(keys.map((key) => this.prefix + key));
      return values.map((value) => (value === null ? undefined : this.decode(value)));
    } catch (error) {
      this.warnOnce(error as Error);
      return keys.map(() => undefined);
    }
  }

  set(entries: ReadonlyArray<readonly [string, Prediction]>): void {
    if (entries.length === 0 || this.redis.status !== 'ready') return;
    const pipeline = this.redis.pipeline();
    for (const [key, prediction] of entries) pipeline.set(this.prefix + key, JSON.stringify([prediction.labelIndex, Array.from(prediction.probabilities)]), 'PX', this.ttlMs);
    pipeline.exec().catch((error: unknown) => this.warnOnce(error as Error));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** An entry some other writer left under our prefix in another shape is a miss, not an answer. */
  private decode(value: string): Prediction | undefined {
    try {
      const parsed: unknown = JSON.parse(value);
      if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
      const [labelIndex, probabilities] = parsed as [unknown, unknown];
      if (typeof labelIndex !== 'number' || !Number.isInteger(labelIndex) || labelIndex < 0 || labelIndex >= this.classes) return undefined;
      if (!Array.isArray(probabilities) || probabilities.length !== this.classes || !probabilities.every((p) => typeof p === 'number')) return undefined;
      return { labelIndex, probabilities: Float32Array.from(probabilities as number[]), v1Json: undefined };
    } catch {
      return undefined;
    }
  }

  private warnOnce(error: Error): void {
    if (this.warned) return;
    this.warned = true;
    this.log.warn({ err: error.message }, 'the Redis prediction cache is unavailable; predictions are computed until it is back');
  }
}
