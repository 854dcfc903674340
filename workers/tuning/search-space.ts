/** A value a search dimension takes: a number (a learning rate, hidden units) or a name (an algorithm). */
export type ParamValue = number | string;

/** One point of a search space: a value for each dimension that is active there. */
export type SearchPoint = Readonly<Record<string, ParamValue>>;

/** A dimension that exists only when an earlier one has a given value, as hidden units exist only for an MLP. */
export interface DimensionCondition {
  dimension: string;
  equals: ParamValue;
}

/** Spans orders of magnitude, so it is searched (sampled, gridded, smoothed) on a log scale. */
export interface LogUniformDimension {
  kind: 'log-uniform';
  name: string;
  low: number;
  high: number;
  when?: DimensionCondition;
}

export interface CategoricalDimension {
  kind: 'categorical';
  name: string;
  choices: readonly ParamValue[];
  when?: DimensionCondition;
}

export type Dimension = LogUniformDimension | CategoricalDimension;

/** Dimensions in order; a condition names an earlier dimension, so a point can be built front to back. */
export type SearchSpace = readonly Dimension[];

export function isActive(dimension: Dimension, point: SearchPoint): boolean {
  return dimension.when === undefined || point[dimension.when.dimension] === dimension.when.equals;
}
