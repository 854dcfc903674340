import { metric, notAvailable, type Metric } from './metric.js';

/** Multiclass Matthews correlation coefficient (Gorodkin's R_K) from counts[actual][predicted]. */
export function matthewsCorrelation(counts: readonly (readonly number[])[]): Metric {
  const n = counts.length;
  const actualTotals = counts.map((row) => row.reduce((sum, v) => sum + v, 0));
  const predictedTotals = Array.from({ length: n }, (_, c) => counts.reduce((sum, row) => sum + (row[c] ?? 0), 0));
  const samples = actualTotals.reduce((sum, v) => sum + v, 0);
  if (samples === 0) return notAvailable('no examples');
  let correct = 0;
  for (let c = 0; c < n; c++) correct += counts[c]?.[c] ?? 0;
  const dot = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * (b[i] as number), 0);
  const predictedSpread = samples * samples - dot(predictedTotals, predictedTotals);
  const actualSpread = samples * samples - dot(actualTotals, actualTotals);
  // Zero spread means one class on that side: there is no variance to correlate with.
  if (actualSpread === 0) return notAvailable('the data has a single class');
  if (predictedSpread === 0) return notAvailable('every prediction is the same class');
  return metric((correct * samples - dot(predictedTotals, actualTotals)) / Math.sqrt(predictedSpread * actualSpread));
}
