import { seededRandom } from '../../../../workers/training/seeded-random.js';
import { fitCategoricalParzen } from '../../../../workers/tuning/categorical-parzen.js';
import { fitLogParzen } from '../../../../workers/tuning/log-parzen.js';
import type { CategoricalDimension, LogUniformDimension } from '../../../../workers/tuning/search-space.js';

const lr: LogUniformDimension = { kind: 'log-uniform', name: 'lr', low: 1e-4, high: 1 };
const algorithm: CategoricalDimension = { kind: 'categorical', name: 'algorithm', choices: ['softmax', 'mlp', 'tree'] };

/** ∫ density d(log x) over the bounds, by the midpoint rule. */
function integral(logDensity: (x: number) => number): number {
  const steps = 4000;
  const low = Math.log(lr.low);
  const width = (Math.log(lr.high) - low) / steps;
  let sum = 0;
  for (let i = 0; i < steps; i++) sum += Math.exp(logDensity(Math.exp(low + (i + 0.5) * width))) * width;
  return sum;
}

describe('Parzen estimators', () => {
  it('log-space kernels: a density over log(x) that integrates to 1, peaks near the observations and is zero outside', () => {
    const parzen = fitLogParzen(lr, [1e-3, 1.2e-3, 0.9e-3]);
    expect(integral((x) => parzen.logDensity(x))).toBeCloseTo(1, 3);
    expect(parzen.logDensity(1e-3)).toBeGreaterThan(parzen.logDensity(0.3));
    expect(parzen.logDensity(2)).toBe(-Infinity);
    expect(integral((x) => fitLogParzen(lr, []).logDensity(x))).toBeCloseTo(1, 3);
  });

  it('log-space kernels: draws stay in bounds, cluster near the observations and repeat for a seed', () => {
    const parzen = fitLogParzen(lr, [1e-3, 1.2e-3, 0.9e-3]);
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 1000 }, () => parzen.sample(random) as number);
    };
    const draws = draw(3);
    expect(draws.every((x) => x >= lr.low && x <= lr.high)).toBe(true);
    // Three of four kernels sit at 1e-3 (the fourth is the wide prior): far more draws near it than the prior's 35%.
    expect(draws.filter((x) => x > 2e-4 && x < 5e-3).length / draws.length).toBeGreaterThan(0.5);
    expect(draw(3)).toEqual(draws);
  });

  it('categorical: observed frequencies smoothed by one pseudo-count per choice', () => {
    const parzen = fitCategoricalParzen(algorithm, ['mlp', 'mlp', 'softmax']);
    expect(Math.exp(parzen.logDensity('mlp'))).toBeCloseTo(3 / 6);
    expect(Math.exp(parzen.logDensity('softmax'))).toBeCloseTo(2 / 6);
    expect(Math.exp(parzen.logDensity('tree'))).toBeCloseTo(1 / 6);
    expect(parzen.logDensity('other')).toBe(-Infinity);
    const random = seededRandom(5);
    const draws = Array.from({ length: 6000 }, () => parzen.sample(random));
    expect(draws.filter((d) => d === 'mlp').length / draws.length).toBeCloseTo(0.5, 1);
    expect(draws.filter((d) => d === 'tree').length / draws.length).toBeCloseTo(1 / 6, 1);
  });
});
