import { metric, notAvailable, type Metric } from './metric.js';

/** The share of examples whose true class is among the k most probable, with k capped at the class count. */
export function topKAccuracy(
  k: number,
  classes: number,
  actual: readonly number[],
  probabilities: readonly (readonly number[])[],
): { k: number; value: Metric } {
  const capped = Math.max(1, Math.min(Math.floor(k), classes));
  if (actual.length === 0) return { k: capped, value: notAvailable('no examples') };
  let hits = 0;
  for (let i = 0; i < actual.length; i++) {
    if (rank(probabilities[i] as readonly number[], actual[i] as number) < capped) hits++;
  }
  return { k: capped, value: metric(hits / actual.length) };
}

/** 0-based position of class c when sorted by probability, ties broken by lower index as argmax does (so top-1 is accuracy). */
function rank(row: readonly number[], c: number): number {
  const p = row[c] as number;
  let ahead = 0;
  for (let j = 0; j < row.length; j++) {
    const q = row[j] as number;
    if (q > p || (q === p && j < c)) ahead++;
  }
  return ahead;
}
