import { MAD_SCALE } from '../alert-expression.js';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * The robust z-score of `current` against `window` (its trailing values, current included): 0.6745 · (x − median) /
 * max(MAD, floor). Exact here (the MAD of every point from the one median), where PromQL can only approximate it
 * (monitoring/alert-expression.ts, anomalyZScore); the floor keeps a flat window from making any wiggle infinite.
 */
export function robustZScore(current: number, window: readonly number[], madFloor: number): number {
  const centre = median(window);
  const mad = median(window.map((value) => Math.abs(value - centre)));
  return (MAD_SCALE * (current - centre)) / Math.max(mad, madFloor);
}
