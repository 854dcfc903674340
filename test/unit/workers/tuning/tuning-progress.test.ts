import { formatLoss } from '../../../../core/index.js';
import { searchProgress, trialEpochProgress, trialFinishedProgress } from '../../../../workers/tuning/tuning-progress.js';

describe('a tune job’s progress bar while its trials run', () => {
  const stage = { trial: 3, trials: 8, label: 'mlp lr 0.0316 · l2 3.2e-5 · hidden 32 · batch 64' };
  const metrics = { epoch: 5, loss: 0.3, accuracy: 0.9, valLoss: 0.31, valAccuracy: 0.89 };

  it('counts the trials finished anywhere plus the reporting trial’s own epochs', () => {
    expect(searchProgress(trialEpochProgress(stage, metrics, 10), 2, 8)).toEqual({
      percent: 31.25,
      message: '2 of 8 trials done · trial 3 · mlp lr 0.0316 · l2 3.2e-5 · hidden 32 · batch 64 · epoch 5/10 · val loss 0.3100',
    });
    expect(searchProgress(trialFinishedProgress(stage, { loss: 0.2 }), 7, 8).percent).toBe(100);
    expect(searchProgress(trialFinishedProgress(stage, { error: 'diverged' }), 8, 8).percent).toBe(100);
  });

  it('never goes back when a trial that started later reports after one further along', () => {
    const later = { ...stage, trial: 4 };
    // Trial 6 had the bar at 63%; trial 4, one epoch in, reports next.
    const next = searchProgress(trialEpochProgress(later, { ...metrics, epoch: 1 }, 10), 4, 8, 63);
    expect(next.percent).toBe(63);
    expect(next.message).toMatch(/^4 of 8 trials done · trial 4 · /);
  });

  it('writes small losses with 3 significant digits, never as 0.0000', () => {
    expect(trialFinishedProgress(stage, { loss: 3.85e-6 }).message).toMatch(/val loss 3\.85e-6$/);
    expect(formatLoss(3.85e-6)).toBe('3.85e-6');
    expect(formatLoss(0.25)).toBe('0.2500');
  });
});
