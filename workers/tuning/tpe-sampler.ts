import { fitCategoricalParzen } from './categorical-parzen.js';
import { fitLogParzen } from './log-parzen.js';
import type { Observation } from './observation.js';
import type { ParzenEstimator } from './parzen-estimator.js';
import { isActive, type Dimension, type ParamValue, type SearchPoint, type SearchSpace } from './search-space.js';

/** The share of trials counted as good (l(x) is fitted to the best ⌈γ·n⌉): Bergstra et al. 2011's γ. */
const GAMMA = 0.25;
/** Points drawn from l(x) per suggestion, the one with the highest l(x)/g(x) winning: Optuna's default. */
const CANDIDATES = 24;

interface DimensionModel {
  good: ParzenEstimator;
  bad: ParzenEstimator;
}

function fitParzen(dimension: Dimension, values: readonly ParamValue[]): ParzenEstimator {
  return dimension.kind === 'categorical' ? fitCategoricalParzen(dimension, values) : fitLogParzen(dimension, values as readonly number[]);
}

/** Each dimension's l and g, fitted to the trials where that dimension exists (tree-structured: hidden units only from MLP trials). */
function fitModels(space: SearchSpace, good: readonly Observation[], bad: readonly Observation[]): Map<string, DimensionModel> {
  const valuesOf = (dimension: Dimension, observations: readonly Observation[]) =>
    observations.flatMap((o) => {
      const value = o.point[dimension.name];
      return value === undefined ? [] : [value];
    });
  return new Map(space.map((d) => [d.name, { good: fitParzen(d, valuesOf(d, good)), bad: fitParzen(d, valuesOf(d, bad)) }]));
}

/**
 * Tree-structured Parzen Estimator: split the finished trials at the γ-quantile of
 * their loss into good and bad, model each group's density per dimension, draw
 * candidates from the good density l(x) and return the one maximising l(x)/g(x), the
 * point most typical of good trials relative to bad ones. Pure: the same observations
 * and random source give the same point. It learns little from fewer trials than a
 * few, which is why a search starts with random ones.
 */
export function suggestTpe(space: SearchSpace, observations: readonly Observation[], random: () => number): SearchPoint {
  // Stable sort: among equal losses (two failed trials' Infinity included) the earlier trial ranks first.
  const ranked = [...observations].sort((a, b) => (a.loss === b.loss ? 0 : a.loss - b.loss));
  const goodCount = Math.min(ranked.length - 1, Math.max(1, Math.ceil(GAMMA * ranked.length)));
  const models = fitModels(space, ranked.slice(0, goodCount), ranked.slice(goodCount));

  let best: { point: SearchPoint; score: number } | undefined;
  for (let c = 0; c < CANDIDATES; c++) {
    const point: Record<string, ParamValue> = {};
    let score = 0;
    for (const dimension of space) {
      if (!isActive(dimension, point)) continue;
      const model = models.get(dimension.name) as DimensionModel;
      const value = model.good.sample(random);
      point[dimension.name] = value;
      score += model.good.logDensity(value) - model.bad.logDensity(value);
    }
    if (best === undefined || score > best.score) best = { point, score };
  }
  return (best as { point: SearchPoint }).point;
}
