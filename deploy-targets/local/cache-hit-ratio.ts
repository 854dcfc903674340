/** How long `status` waits for one replica's /metrics; a slow one is left out rather than delaying the answer. */
const SCRAPE_TIMEOUT_MS = 1000;

/** The sum of every sample of a counter in a Prometheus text page (all label sets). */
function counterSum(page: string, name: string): number {
  let sum = 0;
  for (const line of page.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

/**
 * The share of predictions a colour answered from its caches since its servers started:
 * hits over hits and misses, summed over the replicas' own /metrics. Undefined before any
 * prediction, or when no replica answered.
 */
export async function cacheHitRatio(urls: readonly string[]): Promise<number | undefined> {
  const pages = await Promise.all(
    urls.map((url) =>
      fetch(`${url}/metrics`, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) })
        .then((response) => (response.ok ? response.text() : undefined))
        .catch(() => undefined),
    ),
  );
  let hits = 0;
  let misses = 0;
  for (const page of pages) {
    if (page === undefined) continue;
    hits += counterSum(page, 'opsbot_model_server_cache_hits_total');
    misses += counterSum(page, 'opsbot_model_server_cache_misses_total');
  }
  return hits + misses > 0 ? hits / (hits + misses) : undefined;
}
