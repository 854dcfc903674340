import { LRUCache } from 'lru-cache';
import { predictionKey } from './cache/prediction-key.js';
import type { RedisPredictionTier } from './cache/redis-prediction-tier.js';
import { DynamicBatcher } from './dynamic-batcher.js';
import type { ModelServerMetrics } from './model-server-metrics.js';
import { predictionOf, type Prediction } from './prediction.js';
import type { ServedModel } from './served-model.js';

export interface InferenceServiceOptions {
  maxBatch: number;
  batchDelayMs: number;
  /** 0: no in-process tier. */
  cacheSize: number;
  cacheTtlS: number;
  redis?: RedisPredictionTier;
  /** Requests the server is answering now; with it, a batch nobody else can join runs at once (see DynamicBatcher). */
  requestsInFlight?: () => number;
}

/**
 * The data plane both protocols call: texts in, predictions out, through the two cache
 * tiers and then the dynamic batcher, whose runs coalesce the misses of every request
 * in flight into one ORT call.
 */
export class InferenceService {
  private readonly memory?: LRUCache<string, Prediction>;
  private readonly batcher: DynamicBatcher<string, Prediction>;
  /** Requests whose texts wait in the batcher. */
  private batching = 0;

  constructor(
    readonly model: ServedModel,
    private readonly options: InferenceServiceOptions,
    private readonly metrics: ModelServerMetrics,
  ) {
    if (options.cacheSize > 0) this.memory = new LRUCache({ max: options.cacheSize, ttl: options.cacheTtlS * 1000, ttlAutopurge: false });
    this.batcher = new DynamicBatcher<string, Prediction>({
      maxBatch: options.maxBatch,
      maxDelayMs: options.batchDelayMs,
      run: async (texts) => (await model.predict(texts)).map(predictionOf),
      onBatch: (size) => metrics.batchSize.observe(size),
      othersPending: options.requestsInFlight ? () => (options.requestsInFlight as () => number)() > this.batching : undefined,
    });
  }

  async predict(texts: readonly string[]): Promise<Prediction[]> {
    const { memory } = this;
    const { redis } = this.options;
    if (!memory && !redis) return this.compute(texts);
    const keys = texts.map((text) => predictionKey(this.model.name, this.model.version, text));
    const found: (Prediction | undefined)[] = keys.map((key) => memory?.get(key));
    let missing = indicesOf(found);
    this.metrics.cacheHits.inc({ tier: 'memory' }, texts.length - missing.length);
    if (redis && missing.length > 0) {
      const shared = await redis.get(missing.map((i) => keys[i] as string));
      shared.forEach((prediction, k) => {
        if (!prediction) return;
        const i = missing[k] as number;
        found[i] = prediction;
        memory?.set(keys[i] as string, prediction);
      });
      const stillMissing = indicesOf(found);
      this.metrics.cacheHits.inc({ tier: 'redis' }, missing.length - stillMissing.length);
      missing = stillMissing;
    }
    if (missing.length === 0) return found as Prediction[];
    this.metrics.cacheMisses.inc(missing.length);
    const computed = await this.compute(missing.map((i) => texts[i] as string));
    const entries = missing.map((i, k) => [keys[i] as string, computed[k] as Prediction] as const);
    for (const [key, prediction] of entries) {
      memory?.set(key, prediction);
    }
    redis?.set(entries);
    missing.forEach((i, k) => (found[i] = computed[k]));
    return found as Prediction[];
  }

  private async compute(texts: readonly string[]): Promise<Prediction[]> {
    this.batching++;
    try {
      return await Promise.all(texts.map((text) => this.batcher.submit(text)));
    } finally {
      this.batching--;
    }
  }

  /** Waits until every text submitted so far has been answered. */
  drain(): Promise<void> {
    return this.batcher.drain();
  }
}

function indicesOf(found: readonly (Prediction | undefined)[]): number[] {
  const missing: number[] = [];
  found.forEach((prediction, i) => prediction === undefined && missing.push(i));
  return missing;
}
