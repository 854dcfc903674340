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

/**
 * Proposes trials a batch at a time, so a batch can run in parallel; `trials` can be
 * fewer than asked for when the grid is smaller. Stateless: the same seed and
 * observations give the same batch, so a search can resume from its results alone.
 */
export interface SearchStrategy {
  readonly trials: number;
  /** The next trials' points, given every finished trial so far in trial order; empty once the budget is spent. */
  nextBatch(observations: readonly Observation[]): SearchPoint[];
}

/** Random trials before TPE takes over: a third of the budget, at least 2 and at most 10. */
export function startupTrials(trials: number): number {
  return Math.min(10, Math.max(2, Math.ceil(trials / 3)));
}

/**
 * TPE suggestions for one batch. Each suggestion is added as a "constant liar" (a
 * trial as bad as the worst so far) before the next, so a batch spreads out instead
 * of proposing the same point several times (Ginsbourger et al. 2010).
 */
function tpeBatch(space: SearchSpace, observations: readonly Observation[], size: number, seed: number): SearchPoint[] {
  const random = seededRandom(seed + observations.length);
  const finite = observations.filter((o) => Number.isFinite(o.loss)).map((o) => o.loss);
  const lie = finite.length > 0 ? Math.max(...finite) : Infinity;
  const assumed = [...observations];
  const batch: SearchPoint[] = [];
  for (let i = 0; i < size; i++) {
    const point = suggestTpe(space, assumed, random);
    batch.push(point);
    assumed.push({ point, loss: lie });
  }
  return batch;
}

/**
 * A grid or TPE search over `space`, seeded. A grid proposes every point at once;
 * TPE proposes its random start-up trials at once, then batches of at most `batch`
 * trials, each batch from every result so far.
 */
export function createSearch(method: SearchMethod, space: SearchSpace, trials: number, seed: number, batch = startupTrials(trials)): SearchStrategy {
  if (method === 'grid') {
    const points = gridSearchPoints(space, trials);
    return { trials: points.length, nextBatch: (observations) => points.slice(observations.length) };
  }
  const startup = Math.min(trials, startupTrials(trials));
  const random = seededRandom(seed);
  const startupPoints = Array.from({ length: startup }, () => randomPoint(space, random));
  return {
    trials,
    nextBatch: (observations) => {
      const done = observations.length;
      if (done < startup) return startupPoints.slice(done);
      return tpeBatch(space, observations, Math.min(batch, trials - done), seed);
    },
  };
}
