import type { EvaluationReport } from './evaluate-classifier.js';
import { HEADLINE_METRICS, higherIsBetter, type HeadlineMetric } from './metric-catalog.js';
import type { Metric } from './metric.js';

/** Values are compared at the precision replies show, so a "winner" is never invisible in the numbers. */
export const COMPARISON_DECIMALS = 4;

export type Winner = 'candidate' | 'baseline' | 'tie';

export interface MetricComparison {
  name: HeadlineMetric;
  candidate: Metric;
  baseline: Metric;
  /** candidate − baseline at COMPARISON_DECIMALS; absent when either side is n/a or they measure different things. */
  delta?: number;
  winner?: Winner;
}

const rounded = (value: number) => Number(value.toFixed(COMPARISON_DECIMALS));

/** Each headline metric of a candidate next to a baseline's on the same examples, with the better one named. */
export function compareEvaluations(candidate: EvaluationReport, baseline: EvaluationReport): MetricComparison[] {
  return HEADLINE_METRICS.map((name) => {
    const a = candidate.metrics[name];
    const b = baseline.metrics[name];
    // Top-k with different k (different class counts) measures two different things.
    if (!a.defined || !b.defined || (name === 'top_k_accuracy' && candidate.topK !== baseline.topK)) {
      return { name, candidate: a, baseline: b };
    }
    const delta = rounded(rounded(a.value) - rounded(b.value));
    const improvement = higherIsBetter(name) ? delta : -delta;
    const winner: Winner = improvement > 0 ? 'candidate' : improvement < 0 ? 'baseline' : 'tie';
    return { name, candidate: a, baseline: b, delta, winner };
  });
}

/** How many metrics the candidate wins, loses and ties. */
export function tallyComparisons(comparisons: readonly MetricComparison[]): Record<Winner, number> {
  const tally: Record<Winner, number> = { candidate: 0, baseline: 0, tie: 0 };
  for (const c of comparisons) if (c.winner) tally[c.winner]++;
  return tally;
}
