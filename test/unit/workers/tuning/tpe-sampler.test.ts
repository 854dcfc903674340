import { seededRandom } from '../../../../workers/training/seeded-random.js';
import type { Observation } from '../../../../workers/tuning/observation.js';
import { randomPoint } from '../../../../workers/tuning/random-point.js';
import type { SearchPoint, SearchSpace } from '../../../../workers/tuning/search-space.js';
import { createSearch, startupTrials } from '../../../../workers/tuning/search-strategy.js';
import { TRAINER_SEARCH_SPACE } from '../../../../workers/tuning/trainer-search-space.js';
import { suggestTpe } from '../../../../workers/tuning/tpe-sampler.js';

/** 1-D: a bowl in log(x) with its minimum at x = 0.005. */
const oneD: SearchSpace = [{ kind: 'log-uniform', name: 'x', low: 1e-4, high: 1 }];
const bowl = (p: SearchPoint) => (Math.log10(p.x as number) + 2.3) ** 2;

/** 3-D: a categorical offset plus two log-space bowls; the minimum (0) is c=b, x=0.005, y=3.2e-5. */
const threeD: SearchSpace = [
  { kind: 'categorical', name: 'c', choices: ['a', 'b', 'c', 'd'] },
  { kind: 'log-uniform', name: 'x', low: 1e-4, high: 1 },
  { kind: 'log-uniform', name: 'y', low: 1e-6, high: 1e-2 },
];
const OFFSETS: Record<string, number> = { a: 0.5, b: 0, c: 0.8, d: 1 };
const bowls = (p: SearchPoint) => bowl(p) + (Math.log10(p.y as number) + 4.5) ** 2 + (OFFSETS[p.c as string] as number);

/** Runs a search batch by batch, as the tune job's steps do, scoring each batch before asking for the next. */
function runSearch(space: SearchSpace, objective: (p: SearchPoint) => number, budget: number, seed: number, batch?: number): Observation[] {
  const search = createSearch('bayes', space, budget, seed, batch);
  const observations: Observation[] = [];
  for (let points = search.nextBatch(observations); points.length > 0; points = search.nextBatch(observations)) {
    observations.push(...points.map((point) => ({ point, loss: objective(point) })));
  }
  return observations;
}

const bestOfTpe = (space: SearchSpace, objective: (p: SearchPoint) => number, budget: number, seed: number, batch?: number): number =>
  Math.min(...runSearch(space, objective, budget, seed, batch).map((o) => o.loss));

function bestOfRandom(space: SearchSpace, objective: (p: SearchPoint) => number, budget: number, seed: number): number {
  const random = seededRandom(seed);
  return Math.min(...Array.from({ length: budget }, () => objective(randomPoint(space, random))));
}

const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1);
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('TPE', () => {
  it.each([
    ['a 1-D bowl, one trial at a time', oneD, bowl, 15, 1],
    ['a 3-D objective with a categorical dimension, one trial at a time', threeD, bowls, 25, 1],
    ['a 1-D bowl, in parallel batches', oneD, bowl, 15, undefined],
    ['a 3-D objective with a categorical dimension, in parallel batches', threeD, bowls, 25, undefined],
  ] as const)('finds a better optimum than random search on average over 30 seeds, on %s', (_, space, objective, budget, batch) => {
    const tpe = SEEDS.map((seed) => bestOfTpe(space, objective, budget, seed, batch));
    const random = SEEDS.map((seed) => bestOfRandom(space, objective, budget, seed + 1000));
    expect(mean(tpe)).toBeLessThan(0.75 * mean(random));
    expect(tpe.filter((t, i) => t < (random[i] as number)).length).toBeGreaterThan(SEEDS.length / 2);
  });

  it('suggests the same point for the same observations and seed, inside the space and its conditions', () => {
    const random = seededRandom(11);
    const observations: Observation[] = Array.from({ length: 12 }, (_, i) => {
      const point = randomPoint(TRAINER_SEARCH_SPACE, random);
      return { point, loss: i === 3 ? Infinity : (point.learningRate as number) * 10 + (point.algorithm === 'mlp' ? 0 : 1) };
    });
    const first = suggestTpe(TRAINER_SEARCH_SPACE, observations, seededRandom(99));
    expect(suggestTpe(TRAINER_SEARCH_SPACE, observations, seededRandom(99))).toEqual(first);
    const suggestions = Array.from({ length: 40 }, (_, i) => suggestTpe(TRAINER_SEARCH_SPACE, observations, seededRandom(i)));
    for (const s of suggestions) {
      expect(s.learningRate).toBeGreaterThanOrEqual(0.005);
      expect(s.learningRate).toBeLessThanOrEqual(0.2);
      expect('hidden' in s).toBe(s.algorithm === 'mlp');
    }
    // Good trials here are MLPs with small learning rates, and suggestions follow them.
    expect(suggestions.filter((s) => s.algorithm === 'mlp').length).toBeGreaterThan(30);
    expect(mean(suggestions.map((s) => Math.log(s.learningRate as number)))).toBeLessThan(Math.log(Math.sqrt(0.005 * 0.2)));
  });

  it('starts with seeded random trials (a third of the budget, 2 to 10), then repeats the same search for the same results', () => {
    expect([3, 4, 8, 30, 100].map(startupTrials)).toEqual([2, 2, 3, 10, 10]);
    const run = () => runSearch(threeD, bowls, 8, 42);
    const a = run();
    expect(a).toHaveLength(8);
    expect(run()).toEqual(a);
    expect(a.slice(0, 3).map((o) => o.point)).toEqual(Array.from({ length: 3 }, ((random) => () => randomPoint(threeD, random))(seededRandom(42))));
  });

  it('proposes the start-up trials as one batch, then batches of a third of the budget whose points differ', () => {
    const search = createSearch('bayes', threeD, 8, 42);
    const observations: Observation[] = [];
    const sizes: number[] = [];
    for (let points = search.nextBatch(observations); points.length > 0; points = search.nextBatch(observations)) {
      sizes.push(points.length);
      expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(points.length);
      observations.push(...points.map((point) => ({ point, loss: bowls(point) })));
    }
    expect(sizes).toEqual([3, 3, 2]);
    // Resuming from the results alone gives the same next batch: nothing but the observations is kept between steps.
    expect(createSearch('bayes', threeD, 8, 42).nextBatch(observations.slice(0, 6))).toEqual(search.nextBatch(observations.slice(0, 6)));
  });
});
