import { searchProgress, trialEpochProgress, trialFinishedProgress } from '../../../../workers/tuning/tuning-progress.js';

describe('a tune job’s progress bar while its trials run', () => {
  const stage = { trial: 3, trials: 8, label: 'mlp lr 0.0316 · l2 3.2e-5 · hidden 32 · batch 64' };
  const metrics = { epoch: 5, loss: 0.3, accuracy: 0.9, valLoss: 0.31, valAccuracy: 0.89 };

  it('counts the trials finished anywhere plus the reporting trial’s own epochs', () => {
    expect(searchProgress(trialEpochProgress(stage, metrics, 10), 2, 8)).toEqual({
      percent: 31.25,
      message: 'trial 3/8 · mlp lr 0.0316 · l2 3.2e-5 · hidden 32 · batch 64 · epoch 5/10 · val loss 0.3100',
    });
    expect(searchProgress(trialFinishedProgress(stage, { loss: 0.2 }), 7, 8).percent).toBe(100);
    expect(searchProgress(trialFinishedProgress(stage, { error: 'diverged' }), 8, 8).percent).toBe(100);
  });
});
