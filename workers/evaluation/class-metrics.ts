import { ratio, type Metric } from './metric.js';

/** One row of the per-class table. */
export interface ClassMetrics {
  label: string;
  precision: Metric;
  recall: Metric;
  f1: Metric;
  /** Examples whose true label is this class. */
  support: number;
  /** Examples predicted as this class. */
  predicted: number;
  /** Examples of this class predicted as it. */
  truePositives: number;
}

/** Precision, recall and F1 of each class from counts[actual][predicted]. */
export function classMetrics(labels: readonly string[], counts: readonly (readonly number[])[]): ClassMetrics[] {
  return labels.map((label, c) => {
    const tp = counts[c]?.[c] ?? 0;
    const support = (counts[c] ?? []).reduce((sum, n) => sum + n, 0);
    const predicted = counts.reduce((sum, row) => sum + (row[c] ?? 0), 0);
    const fp = predicted - tp;
    const fn = support - tp;
    return {
      label,
      precision: ratio(tp, predicted, 'never predicted'),
      recall: ratio(tp, support, 'no examples of this class'),
      // The count form of F1 stays defined when only one of precision and recall is (it is 0 then).
      f1: ratio(2 * tp, 2 * tp + fp + fn, 'neither in the data nor predicted'),
      support,
      predicted,
      truePositives: tp,
    };
  });
}
