import { parseSamples, readMetricsPage } from '../../monitoring/exposition.js';

/** How long `status` waits for one replica's /metrics; a slow one is left out rather than delaying the answer. */
const SCRAPE_TIMEOUT_MS = 1000;
const HITS = 'opsbot_model_server_cache_hits_total';
const MISSES = 'opsbot_model_server_cache_misses_total';

/**
 * The share of predictions a colour answered from its caches since its servers started:
 * hits over hits and misses, summed over the replicas' own /metrics. Undefined before any
 * prediction, or when no replica answered.
 */
export async function cacheHitRatio(urls: readonly string[]): Promise<number | undefined> {
  const pages = await Promise.all(urls.map((url) => readMetricsPage(`${url}/metrics`, SCRAPE_TIMEOUT_MS)));
  let hits = 0;
  let misses = 0;
  for (const page of pages) {
    for (const sample of parseSamples(page ?? '', (name) => name === HITS || name === MISSES)) {
      if (sample.name === HITS) hits += sample.value;
      else misses += sample.value;
    }
  }
  return hits + misses > 0 ? hits / (hits + misses) : undefined;
}
