/** The headline metrics of an evaluation, in the order replies list them. */
export const HEADLINE_METRICS = [
  'accuracy',
  'macro_f1',
  'weighted_f1',
  'macro_precision',
  'macro_recall',
  'mcc',
  'roc_auc',
  'log_loss',
  'top_k_accuracy',
  'ece',
] as const;
export type HeadlineMetric = (typeof HEADLINE_METRICS)[number];

interface MetricInfo {
  label: string;
  /** Whether a larger value is better; false for losses and errors. */
  higherIsBetter: boolean;
}

const INFO: Record<HeadlineMetric, MetricInfo> = {
  accuracy: { label: 'accuracy', higherIsBetter: true },
  macro_f1: { label: 'macro F1', higherIsBetter: true },
  weighted_f1: { label: 'weighted F1', higherIsBetter: true },
  macro_precision: { label: 'macro precision', higherIsBetter: true },
  macro_recall: { label: 'macro recall', higherIsBetter: true },
  mcc: { label: 'MCC', higherIsBetter: true },
  roc_auc: { label: 'ROC-AUC (one-vs-rest, macro)', higherIsBetter: true },
  log_loss: { label: 'log loss', higherIsBetter: false },
  top_k_accuracy: { label: 'top-k accuracy', higherIsBetter: true },
  ece: { label: 'calibration error (ECE, 10 bins)', higherIsBetter: false },
};

export function higherIsBetter(name: HeadlineMetric): boolean {
  return INFO[name].higherIsBetter;
}

/** The label shown in replies; top-k accuracy names its k. */
export function metricLabel(name: HeadlineMetric, topK: number): string {
  return name === 'top_k_accuracy' ? `top-${topK} accuracy` : INFO[name].label;
}
