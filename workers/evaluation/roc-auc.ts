import { metric, notAvailable, type Metric } from './metric.js';

/** Area under the ROC curve of one score against a binary truth; tied scores count half (midranks). */
export function binaryRocAuc(positive: readonly boolean[], scores: readonly number[]): Metric {
  const order = scores.map((score, i) => ({ score, positive: positive[i] === true })).sort((a, b) => a.score - b.score);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end < order.length && order[end]?.score === order[start]?.score) end++;
    const midrank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) {
      if (order[i]?.positive) {
        positives++;
        positiveRankSum += midrank;
      }
    }
    start = end;
  }
  const negatives = order.length - positives;
  if (positives === 0) return notAvailable('no positive examples');
  if (negatives === 0) return notAvailable('no negative examples');
  return metric((positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives));
}

/**
 * One-vs-rest ROC-AUC averaged over classes. A class absent from the data (or the only
 * class in it) has no ROC curve and is left out of the average, not counted as 0.
 */
export function macroRocAuc(classes: number, actual: readonly number[], probabilities: readonly (readonly number[])[]): Metric {
  const defined: number[] = [];
  for (let c = 0; c < classes; c++) {
    const auc = binaryRocAuc(
      actual.map((a) => a === c),
      probabilities.map((row) => row[c] as number),
    );
    if (auc.defined) defined.push(auc.value);
  }
  if (defined.length === 0) return notAvailable(actual.length === 0 ? 'no examples' : 'needs at least two classes in the data');
  return metric(defined.reduce((sum, v) => sum + v, 0) / defined.length);
}
