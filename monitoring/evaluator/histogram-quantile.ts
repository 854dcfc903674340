/** One cumulative bucket: observations at most `le`. */
export interface Bucket {
  le: number;
  count: number;
}

/**
 * The φ-quantile of a histogram's buckets as PromQL's histogram_quantile() computes it (promql/quantile.go,
 * bucketQuantile): linear interpolation inside the bucket the rank falls in, the highest finite bound when it falls in
 * the +Inf bucket, and NaN where PromQL answers NaN (no +Inf bucket, fewer than two buckets, no observations) — which
 * no comparison holds for, so a latency alert resolves once there are no predictions to measure.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  if (sorted.length < 2 || sorted[sorted.length - 1]!.le !== Infinity) return NaN;
  // Counts taken at slightly different moments can dip; PromQL makes them monotonic the same way.
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.count < sorted[i - 1]!.count) sorted[i] = { ...sorted[i]!, count: sorted[i - 1]!.count };
  const observations = sorted[sorted.length - 1]!.count;
  if (!(observations > 0)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  let rank = q * observations;
  const b = sorted.findIndex((bucket) => bucket.count >= rank);
  if (b === sorted.length - 1) return sorted[sorted.length - 2]!.le;
  if (b === 0 && sorted[0]!.le <= 0) return sorted[0]!.le;
  let start = 0;
  let count = sorted[b]!.count;
  if (b > 0) {
    start = sorted[b - 1]!.le;
    count -= sorted[b - 1]!.count;
    rank -= sorted[b - 1]!.count;
  }
  return start + (sorted[b]!.le - start) * (rank / count);
}
