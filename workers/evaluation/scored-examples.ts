import { argmax } from './argmax.js';

/** What a classifier said about a set of examples: the input of every metric here. */
export interface ScoredExamples {
  /** The classifier's classes, in the order of each probability row. */
  labels: readonly string[];
  /** The true label of each example. */
  actual: readonly string[];
  /** Per example, one probability per class of `labels`. */
  probabilities: readonly ArrayLike<number>[];
}

/** Scored examples as class indices, with the data's labels the classifier never saw appended as classes. */
export interface IndexedExamples {
  labels: string[];
  /** Labels of the data that are not classes of the classifier (always predicted wrong). */
  unseenLabels: string[];
  actual: number[];
  predicted: number[];
  /** One row per example, one probability per class of `labels` (0 for unseen labels). */
  probabilities: number[][];
}

export function indexExamples(input: ScoredExamples): IndexedExamples {
  const { actual, probabilities } = input;
  if (input.labels.length === 0) throw new Error('a classifier needs at least one class');
  if (actual.length !== probabilities.length) {
    throw new Error(`${actual.length} labels but ${probabilities.length} probability rows`);
  }
  const labels = [...input.labels];
  const index = new Map(labels.map((label, i) => [label, i]));
  const unseenLabels: string[] = [];
  for (const label of actual) {
    if (index.has(label)) continue;
    index.set(label, labels.length);
    labels.push(label);
    unseenLabels.push(label);
  }
  const rows = probabilities.map((row, i) => {
    if (row.length !== input.labels.length) throw new Error(`example ${i} has ${row.length} probabilities for ${input.labels.length} classes`);
    const padded = Array.from(row);
    if (padded.some((p) => !Number.isFinite(p))) throw new Error(`example ${i} has a probability that is not a finite number`);
    while (padded.length < labels.length) padded.push(0);
    return padded;
  });
  return {
    labels,
    unseenLabels,
    actual: actual.map((label) => index.get(label) as number),
    predicted: rows.map(argmax),
    probabilities: rows,
  };
}
