import type { SEARCH_METHODS } from '../../core/index.js';
import { seededRandom } from '../training/seeded-random.js';
import { gridSearchPoints } from './grid-search.js';
import type { Observation } from './observation.js';
import { randomPoint } from './random-point.js';
import type { SearchPoint, SearchSpace } from './search-space.js';
import { suggestTpe } from './tpe-sampler.js';

export type SearchMethod = (typeof SEARCH_METHODS)[number];

/** Trials `tune` runs when not told. */
export const DEFAULT_TRIALS = 8;

/** Proposes trial after trial; `trials` can be fewer than asked for when the grid is smaller. */
export interface SearchStrategy {
  readonly trials: number;
  /** The next trial's point, given every finished trial so far in order. */
  next(observations: readonly Observation[]): SearchPoint;
}

/** Random trials before TPE takes over: a third of the budget, at least 2 and at most 10. */
export function startupTrials(trials: number): number {
  return Math.min(10, Math.max(2, Math.ceil(trials / 3)));
}

/** A grid or TPE search over `space`; seeded, so the same seed and results give the same trials. */
export function createSearch(method: SearchMethod, space: SearchSpace, trials: number, seed: number): SearchStrategy {
  if (method === 'grid') {
    const points = gridSearchPoints(space, trials);
    return { trials: points.length, next: (observations) => points[observations.length] as SearchPoint };
  }
  const random = seededRandom(seed);
  const startup = startupTrials(trials);
  return {
    trials,
    next: (observations) => (observations.length < startup ? randomPoint(space, random) : suggestTpe(space, observations, random)),
  };
}
