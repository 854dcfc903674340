import type { ClassMetrics } from './class-metrics.js';
import { metric, notAvailable, valueOrZero, type Metric } from './metric.js';

type Score = 'precision' | 'recall' | 'f1';

export interface AveragedMetrics {
  macro: Record<Score, Metric>;
  micro: Record<Score, Metric>;
  weighted: Record<Score, Metric>;
}

const SCORES: readonly Score[] = ['precision', 'recall', 'f1'];
const NO_EXAMPLES = 'no examples';

/**
 * Macro averages over the classes in the data or the predictions (a class neither has
 * cannot be judged), weighted averages by support; an undefined per-class value counts
 * as 0, as scikit-learn's `zero_division=0` does. Micro averages pool the counts: with
 * one label per example, each equals accuracy.
 */
export function averagedMetrics(perClass: readonly ClassMetrics[]): AveragedMetrics {
  const present = perClass.filter((c) => c.support > 0 || c.predicted > 0);
  const total = perClass.reduce((sum, c) => sum + c.support, 0);
  const correct = perClass.reduce((sum, c) => sum + c.truePositives, 0);
  const average = (pick: (c: ClassMetrics) => number, weight: (c: ClassMetrics) => number): Metric => {
    const weights = present.reduce((sum, c) => sum + weight(c), 0);
    return weights === 0 ? notAvailable(NO_EXAMPLES) : metric(present.reduce((sum, c) => sum + weight(c) * pick(c), 0) / weights);
  };
  const each = (make: (score: Score) => Metric) => Object.fromEntries(SCORES.map((s) => [s, make(s)])) as Record<Score, Metric>;
  // Both denominators of micro precision and recall are the number of examples.
  const micro = total === 0 ? notAvailable(NO_EXAMPLES) : metric(correct / total);
  return {
    macro: each((s) => average((c) => valueOrZero(c[s]), () => 1)),
    micro: each(() => micro),
    weighted: each((s) => average((c) => valueOrZero(c[s]), (c) => c.support)),
  };
}
