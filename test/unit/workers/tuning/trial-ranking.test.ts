import { formatLoss } from '../../../../core/index.js';
import { compareTrials } from '../../../../workers/tuning/trial-ranking.js';

const score = (loss: number, macroF1: number) => ({ examples: 100, loss, accuracy: 0.9, macroF1 });

describe('ranking trials', () => {
  it('prefers the lower validation loss', () => {
    expect(compareTrials(score(0.2, 0.8), score(0.3, 0.9))).toBeLessThan(0);
    expect(compareTrials(score(0.3, 0.9), score(0.2, 0.8))).toBeGreaterThan(0);
    expect(compareTrials(score(1e-5, 1), score(3e-5, 1))).toBeLessThan(0);
  });

  it('breaks a tie (within 0.1% of the loss) by the higher validation macro-F1', () => {
    expect(compareTrials(score(0.20001, 0.9), score(0.2, 0.8))).toBeLessThan(0);
    expect(compareTrials(score(0.2, 0.8), score(0.2, 0.9))).toBeGreaterThan(0);
    expect(compareTrials(score(0.2, 0.8), score(0.2, 0.8))).toBe(0);
  });

  it('shows small losses with significant digits', () => {
    expect([0.28751, 0.0012, 0.000012345, 0].map(formatLoss)).toEqual(['0.2875', '0.0012', '1.23e-5', '0.0000']);
  });
});
