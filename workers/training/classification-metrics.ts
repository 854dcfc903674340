export interface ClassificationMetrics {
  accuracy: number;
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  /** Per label: precision, recall, F1 and support. */
  perClass: Record<string, { precision: number; recall: number; f1: number; support: number }>;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Accuracy and precision/recall/F1 per class and macro-averaged; an absent class scores 0, never NaN. */
export function classificationMetrics(labels: readonly string[], actual: readonly string[], predicted: readonly string[]): ClassificationMetrics {
  const perClass: ClassificationMetrics['perClass'] = {};
  let correct = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] === predicted[i]) correct++;
  for (const label of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < actual.length; i++) {
      if (predicted[i] === label && actual[i] === label) tp++;
      else if (predicted[i] === label) fp++;
      else if (actual[i] === label) fn++;
    }
    const precision = ratio(tp, tp + fp);
    const recall = ratio(tp, tp + fn);
    perClass[label] = { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support: tp + fn };
  }
  const classes = Object.values(perClass);
  const mean = (pick: (c: (typeof classes)[number]) => number) => ratio(classes.reduce((s, c) => s + pick(c), 0), classes.length);
  return {
    accuracy: ratio(correct, actual.length),
    macroPrecision: mean((c) => c.precision),
    macroRecall: mean((c) => c.recall),
    macroF1: mean((c) => c.f1),
    perClass,
  };
}
