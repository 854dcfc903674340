import type { ColourPrediction } from './deploy-target.port.js';
import type { DeploymentReport } from '../store/blue-green-store.port.js';

function labelCounts(predictions: readonly ColourPrediction[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of predictions) counts[p.label] = (counts[p.label] ?? 0) + 1;
  return counts;
}

/**
 * The idle colour's answers on the sample, against the live colour's on the same texts:
 * how often they agree and how the labels are distributed. Disagreement is for the
 * approvers to judge (a better model disagrees where the old one was wrong), not a failure.
 */
export function smokeTestReport(idle: readonly ColourPrediction[], live?: readonly ColourPrediction[]): NonNullable<DeploymentReport['smokeTest']> {
  const agreeing = live ? idle.filter((p, i) => live[i]?.label === p.label).length : 0;
  return {
    texts: idle.length,
    agreement: live && idle.length > 0 ? agreeing / idle.length : null,
    labels: labelCounts(idle),
    ...(live ? { liveLabels: labelCounts(live) } : {}),
  };
}

/** p50 and p99 of latencies in milliseconds (nearest rank). */
export function latencySummary(samplesMs: readonly number[]): { p50: number; p99: number } | undefined {
  if (samplesMs.length === 0) return undefined;
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
  return { p50: rank(0.5), p99: rank(0.99) };
}
