import { isActive, type Dimension, type LogUniformDimension, type ParamValue, type SearchPoint, type SearchSpace } from './search-space.js';

/** A draw from the dimension's prior: log-uniform, or each choice equally likely. */
function sampleDimension(dimension: Dimension, random: () => number): ParamValue {
  if (dimension.kind === 'categorical') return dimension.choices[Math.floor(random() * dimension.choices.length)] as ParamValue;
  const low = Math.log(dimension.low);
  return clampTo(dimension, Math.exp(low + random() * (Math.log(dimension.high) - low)));
}

/** exp(log(x)) can land an ulp outside the bounds; keep values inside. */
export function clampTo(dimension: LogUniformDimension, value: number): number {
  return Math.min(dimension.high, Math.max(dimension.low, value));
}

/** A point drawn from the space's prior, as random search and TPE's start-up trials use. */
export function randomPoint(space: SearchSpace, random: () => number): SearchPoint {
  const point: Record<string, ParamValue> = {};
  for (const dimension of space) {
    if (isActive(dimension, point)) point[dimension.name] = sampleDimension(dimension, random);
  }
  return point;
}
