import { averagedMetrics, type AveragedMetrics } from './averaged-metrics.js';
import { classMetrics, type ClassMetrics } from './class-metrics.js';
import { expectedCalibrationError } from './calibration-error.js';
import { confusionMatrix } from './confusion-matrix.js';
import { logLoss } from './log-loss.js';
import { matthewsCorrelation } from './matthews-correlation.js';
import { ratio, type Metric } from './metric.js';
import type { HeadlineMetric } from './metric-catalog.js';
import { macroRocAuc } from './roc-auc.js';
import { indexExamples, type ScoredExamples } from './scored-examples.js';
import { topKAccuracy } from './top-k-accuracy.js';

export interface EvaluationReport {
  examples: number;
  /** The classifier's classes, then the data's labels it never saw. */
  labels: string[];
  unseenLabels: string[];
  /** counts[actual][predicted], in the order of `labels`. */
  confusion: number[][];
  perClass: ClassMetrics[];
  averages: AveragedMetrics;
  /** The k of top-k accuracy, after capping at the class count. */
  topK: number;
  metrics: Record<HeadlineMetric, Metric>;
}

export interface EvaluationOptions {
  /** @defaultValue 2 */
  topK?: number;
  /** @defaultValue 10 */
  calibrationBins?: number;
}

/** Every metric of a classifier on scored examples; undefined ones carry their reason, never NaN. */
export function evaluateClassifier(input: ScoredExamples, options: EvaluationOptions = {}): EvaluationReport {
  const { labels, unseenLabels, actual, predicted, probabilities } = indexExamples(input);
  const confusion = confusionMatrix(labels.length, actual, predicted);
  const perClass = classMetrics(labels, confusion);
  const averages = averagedMetrics(perClass);
  const correct = perClass.reduce((sum, c) => sum + c.truePositives, 0);
  const topK = topKAccuracy(options.topK ?? 2, labels.length, actual, probabilities);
  return {
    examples: actual.length,
    labels,
    unseenLabels,
    confusion,
    perClass,
    averages,
    topK: topK.k,
    metrics: {
      accuracy: ratio(correct, actual.length, 'no examples'),
      macro_f1: averages.macro.f1,
      weighted_f1: averages.weighted.f1,
      macro_precision: averages.macro.precision,
      macro_recall: averages.macro.recall,
      mcc: matthewsCorrelation(confusion),
      roc_auc: macroRocAuc(labels.length, actual, probabilities),
      log_loss: logLoss(actual, probabilities),
      top_k_accuracy: topK.value,
      ece: expectedCalibrationError(actual, probabilities, options.calibrationBins ?? 10),
    },
  };
}
