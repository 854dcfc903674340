import { LRUCache } from 'lru-cache';
import { MemoryKeys } from './cache/memory-key.js';
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
  private readonly memoryKeys: MemoryKeys;
  private readonly batcher: DynamicBatcher<string, Prediction>;
  /** Requests whose texts wait in the batcher. */
  private batching = 0;

  constructor(
    readonly model: ServedModel,
    private readonly options: InferenceServiceOptions,
    private readonly metrics: ModelServerMetrics,
  ) {
    if (options.cacheSize > 0) this.memory = new LRUCache({ max: options.cacheSize, ttl: options.cacheTtlS * 1000, ttlAutopurge: false });
    this.memoryKeys = new MemoryKeys(model.name, model.version);
    const inFlight = options.requestsInFlight;
    this.batcher = new DynamicBatcher<string, Prediction>({
      maxBatch: options.maxBatch,
      maxDelayMs: options.batchDelayMs,
      run: async (texts) => (await model.predict(texts)).map(predictionOf),
      onBatch: (size) => metrics.batchSize.observe(size),
      othersPending: inFlight ? () => inFlight() > this.batching : undefined,
    });
  }

  /**
   * The predictions of `texts`, in order. Synchronous (an array, not a promise) when the
   * in-process tier holds them all: a cache hit then costs no promise, no microtask and no
   * batcher turn between the request's body and its answer.
   */
  predict(texts: readonly string[]): Prediction[] | Promise<Prediction[]> {
    const { memory } = this;
    const { redis } = this.options;
    if (!memory && !redis) return this.compute(texts);
    const keys = memory ? texts.map((text) => this.memoryKeys.of(text)) : [];
    const found: (Prediction | undefined)[] = memory ? keys.map((key) => memory.get(key)) : texts.map(() => undefined);
    const missing = indicesOf(found);
    this.metrics.cacheHits.inc({ tier: 'memory' }, texts.length - missing.length);
    if (missing.length === 0) return found as Prediction[];
    return this.fill(texts, keys, found, missing);
  }

  /** Answers the texts the in-process tier lacked: from Redis where it has them, else from the model. */
  private async fill(texts: readonly string[], keys: readonly string[], found: (Prediction | undefined)[], missing: number[]): Promise<Prediction[]> {
    const { memory } = this;
    const { redis } = this.options;
    // Redis keys hash the text (they never carry it); only the texts that reach Redis pay for it.
    let sharedKeys = redis ? missing.map((i) => predictionKey(this.model.name, this.model.version, texts[i] as string)) : [];
    if (redis) {
      const shared = await redis.get(sharedKeys);
      const stillMissing: number[] = [];
      const stillMissingKeys: string[] = [];
      shared.forEach((prediction, k) => {
        const i = missing[k] as number;
        if (!prediction) {
          stillMissing.push(i);
          stillMissingKeys.push(sharedKeys[k] as string);
          return;
        }
        found[i] = prediction;
        memory?.set(keys[i] as string, prediction);
      });
      this.metrics.cacheHits.inc({ tier: 'redis' }, missing.length - stillMissing.length);
      missing = stillMissing;
      sharedKeys = stillMissingKeys;
    }
    if (missing.length === 0) return found as Prediction[];
    this.metrics.cacheMisses.inc(missing.length);
    const computed = await this.compute(missing.map((i) => texts[i] as string));
    missing.forEach((i, k) => {
      const prediction = computed[k] as Prediction;
      found[i] = prediction;
      memory?.set(keys[i] as string, prediction);
    });
    redis?.set(missing.map((_, k) => [sharedKeys[k] as string, computed[k] as Prediction] as const));
    return found as Prediction[];
  }

  private async compute(texts: readonly string[]): Promise<Prediction[]> {
    this.batching++;
    try {
      // One text (the common request): its own promise, without Promise.all's array and closures.
      return texts.length === 1 ? [await this.batcher.submit(texts[0] as string)] : await Promise.all(texts.map((text) => this.batcher.submit(text)));
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
  for (let i = 0; i < found.length; i++) if (found[i] === undefined) missing.push(i);
  return missing;
}
