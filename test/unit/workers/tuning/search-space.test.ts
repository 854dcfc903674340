import { seededRandom } from '../../../../workers/training/seeded-random.js';
import { randomPoint } from '../../../../workers/tuning/random-point.js';
import { isActive } from '../../../../workers/tuning/search-space.js';
import { describeTrialConfig, TRAINER_SEARCH_SPACE, trialConfig } from '../../../../workers/tuning/trainer-search-space.js';

const hidden = TRAINER_SEARCH_SPACE.find((d) => d.name === 'hidden');

describe('the trainer search space', () => {
  it('has hidden units only where the algorithm is an MLP', () => {
    expect(hidden && isActive(hidden, { algorithm: 'mlp' })).toBe(true);
    expect(hidden && isActive(hidden, { algorithm: 'softmax' })).toBe(false);
  });

  it('draws points inside the bounds, log-uniformly, with hidden units only for MLPs, the same for the same seed', () => {
    const random = seededRandom(7);
    const points = Array.from({ length: 2000 }, () => randomPoint(TRAINER_SEARCH_SPACE, random));
    for (const p of points) {
      expect(p.learningRate).toBeGreaterThanOrEqual(0.005);
      expect(p.learningRate).toBeLessThanOrEqual(0.2);
      expect(p.l2).toBeGreaterThanOrEqual(1e-6);
      expect(p.l2).toBeLessThanOrEqual(1e-3);
      expect([32, 64, 128]).toContain(p.batchSize);
      if (p.algorithm === 'mlp') expect([8, 16, 32, 64]).toContain(p.hidden);
      else expect(p).not.toHaveProperty('hidden');
    }
    // Log-uniform: about half the l2 draws fall below the geometric middle, 3.2e-5.
    const below = points.filter((p) => (p.l2 as number) < Math.sqrt(1e-6 * 1e-3)).length / points.length;
    expect(below).toBeGreaterThan(0.45);
    expect(below).toBeLessThan(0.55);
    const again = seededRandom(7);
    expect(Array.from({ length: 5 }, () => randomPoint(TRAINER_SEARCH_SPACE, again))).toEqual(points.slice(0, 5));
  });

  it('reads a point as a training run: the algorithm and its setting overrides', () => {
    const mlp = trialConfig({ algorithm: 'mlp', learningRate: 0.0316, l2: 3.16e-5, hidden: 32, batchSize: 64 });
    expect(mlp).toEqual({ algorithm: 'mlp', settings: { learningRate: 0.0316, l2: 3.16e-5, batchSize: 64, hidden: 32 } });
    expect(describeTrialConfig(mlp)).toBe('mlp lr 0.0316 · l2 3.2e-5 · hidden 32 · batch 64');
    const softmax = trialConfig({ algorithm: 'softmax', learningRate: 0.108, l2: 3.16e-6, batchSize: 32 });
    expect(softmax.settings).not.toHaveProperty('hidden');
    expect(describeTrialConfig(softmax)).toBe('softmax lr 0.108 · l2 3.2e-6 · batch 32');
  });
});
