import { evaluateClassifier, type EvaluationReport, type Metric } from '../../../../workers/evaluation/index.js';

/** The value of a metric that must be defined. */
function value(m: Metric): number {
  if (!m.defined) throw new Error(`expected a value, got n/a (${m.reason})`);
  return m.value;
}

function expectClose(m: Metric, expected: number): void {
  expect(value(m)).toBeCloseTo(expected, 6);
}

/** No NaN, Infinity or null anywhere in a report (JSON writes NaN and Infinity as null). */
function expectAllFinite(report: EvaluationReport): void {
  expect(JSON.stringify(report)).not.toMatch(/null|NaN|Infinity/);
}

describe('evaluateClassifier (values computed by hand)', () => {
  it('scores a three-class case: every metric', () => {
    const report = evaluateClassifier({
      labels: ['a', 'b', 'c'],
      actual: ['a', 'a', 'b', 'b', 'c', 'c'],
      probabilities: [
        [0.7, 0.2, 0.1],
        [0.1, 0.6, 0.3],
        [0.2, 0.5, 0.3],
        [0.1, 0.4, 0.5],
        [0.1, 0.1, 0.8],
        [0.2, 0.2, 0.6],
      ],
    });
    expect(report.confusion).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [0, 0, 2],
    ]);
    const [a, b, c] = report.perClass;
    expect([a?.support, b?.support, c?.support]).toEqual([2, 2, 2]);
    expectClose(a!.precision, 1);
    expectClose(a!.recall, 0.5);
    expectClose(a!.f1, 2 / 3);
    expectClose(b!.precision, 0.5);
    expectClose(b!.f1, 0.5);
    expectClose(c!.precision, 2 / 3);
    expectClose(c!.recall, 1);
    expectClose(c!.f1, 0.8);
    const m = report.metrics;
    expectClose(m.accuracy, 4 / 6);
    expectClose(m.macro_precision, (1 + 0.5 + 2 / 3) / 3);
    expectClose(m.macro_recall, 2 / 3);
    expectClose(m.macro_f1, (2 / 3 + 0.5 + 0.8) / 3);
    expectClose(m.weighted_f1, (2 / 3 + 0.5 + 0.8) / 3);
    expectClose(report.averages.micro.precision, 4 / 6);
    expectClose(report.averages.micro.f1, 4 / 6);
    expectClose(m.log_loss, -(Math.log(0.7) + Math.log(0.1) + Math.log(0.5) + Math.log(0.4) + Math.log(0.8) + Math.log(0.6)) / 6);
    expect(report.topK).toBe(2);
    expectClose(m.top_k_accuracy, 5 / 6);
    // Gorodkin: (c·s − Σ p_k t_k) / sqrt((s² − Σ p_k²)(s² − Σ t_k²)) with t = [2,2,2], p = [1,2,3], c = 4, s = 6.
    expectClose(m.mcc, 12 / Math.sqrt(22 * 24));
    // One-vs-rest: a wins 4 + 2 × 0.5 of 8 pairs, b 6 of 8, c 8 of 8.
    expectClose(m.roc_auc, (5 / 8 + 6 / 8 + 1) / 3);
    // Bins 0.5 (1 right, conf 1.0), 0.6 (1 right, conf 1.2), 0.7 (1, 0.7), 0.8 (1, 0.8).
    expectClose(m.ece, (0 + 0.2 + 0.3 + 0.2) / 6);
    expectAllFinite(report);
  });

  it('handles a classifier with one class only', () => {
    const report = evaluateClassifier({ labels: ['spam'], actual: ['spam', 'spam'], probabilities: [[1], [1]] });
    expectClose(report.metrics.accuracy, 1);
    expectClose(report.metrics.macro_f1, 1);
    expectClose(report.metrics.log_loss, 0);
    expect(report.topK).toBe(1);
    expectClose(report.metrics.top_k_accuracy, 1);
    expectClose(report.metrics.ece, 0);
    expect(report.metrics.mcc).toEqual({ defined: false, reason: 'the data has a single class' });
    expect(report.metrics.roc_auc).toEqual({ defined: false, reason: 'needs at least two classes in the data' });
    expectAllFinite(report);
  });

  it('handles data with one class against a two-class model (a class predicted but never present)', () => {
    const report = evaluateClassifier({ labels: ['a', 'b'], actual: ['a', 'a', 'a'], probabilities: [[0.9, 0.1], [0.4, 0.6], [0.8, 0.2]] });
    const [a, b] = report.perClass;
    expectClose(a!.recall, 2 / 3);
    expectClose(a!.f1, 0.8);
    expectClose(b!.precision, 0);
    expect(b!.recall).toEqual({ defined: false, reason: 'no examples of this class' });
    expectClose(b!.f1, 0);
    // b is in the predictions, so it counts in macro averages (its undefined recall as 0), not in weighted ones.
    expectClose(report.metrics.macro_precision, 0.5);
    expectClose(report.metrics.macro_recall, 1 / 3);
    expectClose(report.metrics.macro_f1, 0.4);
    expectClose(report.metrics.weighted_f1, 0.8);
    expect(report.metrics.mcc.defined).toBe(false);
    expect(report.metrics.roc_auc.defined).toBe(false);
    expectAllFinite(report);
  });

  it('leaves a class with no support that is never predicted out of the averages', () => {
    const report = evaluateClassifier({ labels: ['a', 'b', 'c'], actual: ['a', 'b'], probabilities: [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1]] });
    expect(report.perClass[2]).toMatchObject({
      label: 'c',
      support: 0,
      precision: { defined: false, reason: 'never predicted' },
      recall: { defined: false, reason: 'no examples of this class' },
      f1: { defined: false, reason: 'neither in the data nor predicted' },
    });
    expectClose(report.metrics.macro_precision, 1);
    expectClose(report.metrics.macro_recall, 1);
    expectClose(report.metrics.macro_f1, 1);
    expectClose(report.metrics.mcc, 1);
    expectClose(report.metrics.roc_auc, 1);
    expectClose(report.metrics.log_loss, -(Math.log(0.8) + Math.log(0.7)) / 2);
    expectClose(report.metrics.ece, (0.2 + 0.3) / 2);
    expectAllFinite(report);
  });

  it('handles every prediction being the same class', () => {
    const report = evaluateClassifier({ labels: ['a', 'b'], actual: ['a', 'b', 'b', 'a'], probabilities: Array.from({ length: 4 }, () => [0.6, 0.4]) });
    expect(report.confusion).toEqual([
      [2, 0],
      [2, 0],
    ]);
    expectClose(report.metrics.accuracy, 0.5);
    expect(report.perClass[1]?.precision).toEqual({ defined: false, reason: 'never predicted' });
    expectClose(report.metrics.macro_precision, 0.25);
    expectClose(report.metrics.macro_recall, 0.5);
    expectClose(report.metrics.macro_f1, 1 / 3);
    expect(report.metrics.mcc).toEqual({ defined: false, reason: 'every prediction is the same class' });
    // Every score tied: each positive-negative pair counts half.
    expectClose(report.metrics.roc_auc, 0.5);
    expectClose(report.metrics.log_loss, -(2 * Math.log(0.6) + 2 * Math.log(0.4)) / 4);
    expectClose(report.metrics.ece, 0.1);
    expectAllFinite(report);
  });

  it('scores perfect predictions, and clips a probability of 0 in log loss', () => {
    const perfect = evaluateClassifier({ labels: ['a', 'b'], actual: ['a', 'b'], probabilities: [[1, 0], [0, 1]] });
    for (const name of ['accuracy', 'macro_f1', 'weighted_f1', 'mcc', 'roc_auc', 'top_k_accuracy'] as const) expectClose(perfect.metrics[name], 1);
    expectClose(perfect.metrics.log_loss, 0);
    expectClose(perfect.metrics.ece, 0);
    const confidentMiss = evaluateClassifier({ labels: ['a', 'b'], actual: ['a'], probabilities: [[0, 1]] });
    expectClose(confidentMiss.metrics.log_loss, -Math.log(1e-15));
    expectClose(confidentMiss.metrics.ece, 1);
    expectAllFinite(confidentMiss);
  });

  it('breaks ties toward the first class, in predictions and in top-k alike', () => {
    const report = evaluateClassifier({ labels: ['a', 'b', 'c'], actual: ['b', 'c'], probabilities: [[0.4, 0.4, 0.2], [1 / 3, 1 / 3, 1 / 3]] });
    expect(report.confusion).toEqual([
      [0, 0, 0],
      [1, 0, 0],
      [1, 0, 0],
    ]);
    expectClose(report.metrics.accuracy, 0);
    // b ranks second behind the tied a; c ranks third behind a and b.
    expectClose(report.metrics.top_k_accuracy, 0.5);
    const top1 = evaluateClassifier({ labels: ['a', 'b', 'c'], actual: ['b', 'c'], probabilities: [[0.4, 0.4, 0.2], [1 / 3, 1 / 3, 1 / 3]] }, { topK: 1 });
    expectClose(top1.metrics.top_k_accuracy, 0);
    const capped = evaluateClassifier({ labels: ['a', 'b', 'c'], actual: ['c'], probabilities: [[0.5, 0.3, 0.2]] }, { topK: 7 });
    expect(capped.topK).toBe(3);
    expectClose(capped.metrics.top_k_accuracy, 1);
  });

  it('adds labels the classifier never saw as classes it always gets wrong', () => {
    const report = evaluateClassifier({ labels: ['a', 'b'], actual: ['a', 'z'], probabilities: [[0.9, 0.1], [0.5, 0.5]] });
    expect(report.labels).toEqual(['a', 'b', 'z']);
    expect(report.unseenLabels).toEqual(['z']);
    expect(report.confusion).toEqual([
      [1, 0, 0],
      [0, 0, 0],
      [1, 0, 0],
    ]);
    expectClose(report.metrics.log_loss, -(Math.log(0.9) + Math.log(1e-15)) / 2);
    expectAllFinite(report);
  });

  it('reports every metric as n/a with a reason when there are no examples', () => {
    const report = evaluateClassifier({ labels: ['a', 'b'], actual: [], probabilities: [] });
    expect(report.confusion).toEqual([
      [0, 0],
      [0, 0],
    ]);
    for (const m of Object.values(report.metrics)) expect(m).toEqual({ defined: false, reason: 'no examples' });
    expectAllFinite(report);
  });

  it('refuses inputs that do not line up', () => {
    expect(() => evaluateClassifier({ labels: ['a', 'b'], actual: ['a'], probabilities: [] })).toThrow(/1 labels but 0 probability rows/);
    expect(() => evaluateClassifier({ labels: ['a', 'b'], actual: ['a'], probabilities: [[1]] })).toThrow(/1 probabilities for 2 classes/);
    expect(() => evaluateClassifier({ labels: ['a', 'b'], actual: ['a'], probabilities: [[Number.NaN, 1]] })).toThrow(/not a finite number/);
  });
});
