import type { ChildOutcome } from '../../../../core/index.js';
import { DEFAULT_FEATURIZER_CONFIG, DEFAULT_TRAINING_SETTINGS, type TrainedSummary } from '../../../../workers/training/index.js';
import { bestTrial, observationsOf, trialRecords } from '../../../../workers/tuning/trial-records.js';

const point = (learningRate: number) => ({ algorithm: 'softmax', learningRate, l2: 1e-5, batchSize: 64 });
const trained = (loss: number, macroF1 = 0.9): TrainedSummary => ({
  datasetHash: 'sha256:x',
  classBalance: { a: { train: 8, validation: 1, test: 1 } },
  settings: { ...DEFAULT_TRAINING_SETTINGS.softmax, featurizer: DEFAULT_FEATURIZER_CONFIG },
  history: [{ epoch: 1, loss, accuracy: 0.9, valLoss: loss, valAccuracy: 0.9 }],
  bestEpoch: 1,
  validation: { examples: 10, loss, accuracy: 0.9, macroF1 },
  network: { kind: 'softmax', labels: ['a', 'b'] },
});
const child = (trial: number, output: unknown): ChildOutcome => ({
  key: `trial-${trial}`,
  data: { trial, trials: 4, done: 0, point: point(0.01 * trial) },
  result: { summary: 'x', output: output as Record<string, unknown> },
});

describe('a tune job reading its finished trials', () => {
  it('orders trials by number, keeps failures, and treats a malformed result as a failed trial', () => {
    const records = trialRecords([
      child(3, { worker: 'w2', trained: trained(0.2) }),
      { key: 'trial-2', data: { trial: 2, trials: 4, done: 0, point: point(0.02) }, error: 'worker crashed' },
      child(1, { worker: 'w1', trained: trained(0.3) }),
      child(4, { worker: 'w1', trained: { validation: 'nope' } }),
    ]);
    expect(records.map((r) => [r.trial, 'trained' in r ? r.trained.validation.loss : r.error])).toEqual([
      [1, 0.3],
      [2, 'worker crashed'],
      [3, 0.2],
      [4, expect.stringMatching(/^its result was malformed/)],
    ]);
    expect(observationsOf(records).map((o) => o.loss)).toEqual([0.3, Infinity, 0.2, Infinity]);
    expect(bestTrial(records)?.trial).toBe(3);
  });

  it('breaks a tie in validation loss by macro F1, and has no best while none trained', () => {
    const records = trialRecords([child(1, { worker: 'w', trained: trained(0.2, 0.8) }), child(2, { worker: 'w', trained: trained(0.20001, 0.95) })]);
    expect(bestTrial(records)?.trial).toBe(2);
    expect(bestTrial(trialRecords([child(1, { worker: 'w', error: 'diverged', permanent: false })]))).toBeUndefined();
  });

  it('refuses children that are not trials of this search', () => {
    expect(() => trialRecords([{ key: 'x', data: { nope: true }, result: { summary: 'x' } }])).toThrow(/not a trial of this search/);
  });
});
