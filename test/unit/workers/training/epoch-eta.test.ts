import { EpochEta, formatDuration } from '../../../../workers/training/epoch-eta.js';
import { trainingProgress } from '../../../../workers/training/training-progress.js';

describe('the time a training run has left', () => {
  it('reads as a person would say it', () => {
    expect([0, 400, 45_000, 60_000, 200_000, 3_900_000].map(formatDuration)).toEqual(['1 s', '1 s', '45 s', '1 min', '3 min 20 s', '1 h 5 min']);
  });

  it('comes from the pace of the epochs since the last stage, not from loading and featurising', () => {
    let now = 0;
    const eta = new EpochEta(() => now);
    now = 30_000;
    eta.mark(); // featurising took 30 s: not epoch time
    now = 40_000;
    expect(eta.after(1, 10)).toBe('ETA 1 min 30 s');
    now = 60_000;
    expect(eta.after(3, 10)).toBe('ETA 1 min 10 s');
    eta.mark(); // a stage after epochs began (exporting) does not move the clock
    now = 160_000;
    expect(eta.after(10, 10)).toBeUndefined();
  });

  it('ends the epoch line of a train job’s progress', () => {
    let now = 0;
    const eta = new EpochEta(() => now);
    trainingProgress({ type: 'stage', percent: 10, message: 'training softmax on 100 examples' }, 4, eta);
    now = 2000;
    const progress = trainingProgress({ type: 'epoch', metrics: { epoch: 1, loss: 0.5, accuracy: 0.8, valLoss: 0.6, valAccuracy: 0.75 } }, 4, eta);
    expect(progress.message).toBe('epoch 1/4 · loss 0.5000 · acc 0.800 · val loss 0.6000 · val acc 0.750 · ETA 6 s');
  });
});
