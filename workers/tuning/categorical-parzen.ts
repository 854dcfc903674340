import type { CategoricalDimension, ParamValue } from './search-space.js';
import type { ParzenEstimator } from './parzen-estimator.js';

/**
 * Choice frequencies with one pseudo-count per choice (the uniform prior), so a choice
 * no trial took keeps some probability and TPE can still try it.
 */
export function fitCategoricalParzen(dimension: CategoricalDimension, values: readonly ParamValue[]): ParzenEstimator {
  const { choices } = dimension;
  const counts = choices.map((choice) => 1 + values.filter((value) => value === choice).length);
  const total = counts.reduce((sum, c) => sum + c, 0);
  const probabilities = counts.map((c) => c / total);
  return {
    sample: (random) => {
      let u = random();
      for (let i = 0; i < choices.length; i++) {
        u -= probabilities[i] as number;
        if (u < 0) return choices[i] as ParamValue;
      }
      return choices[choices.length - 1] as ParamValue; // u landed on the rounding error at the top
    },
    logDensity: (value) => {
      const i = choices.indexOf(value);
      return i < 0 ? -Infinity : Math.log(probabilities[i] as number);
    },
  };
}
