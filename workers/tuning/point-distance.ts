import { isActive, type Dimension, type SearchPoint, type SearchSpace } from './search-space.js';

/** Share of the dimension's range between two values: of the log range, of the sorted choices for numbers, 0 or 1 for names. */
function valueDistance(dimension: Dimension, a: SearchPoint, b: SearchPoint): number {
  const x = a[dimension.name];
  const y = b[dimension.name];
  if (dimension.kind === 'log-uniform') {
    return Math.abs(Math.log(x as number) - Math.log(y as number)) / (Math.log(dimension.high) - Math.log(dimension.low));
  }
  if (typeof x === 'number' && typeof y === 'number' && dimension.choices.length > 1) {
    // Numeric choices (hidden units, batch sizes) are ordered: 8 is nearer 16 than 64.
    const sorted = [...dimension.choices].sort((p, q) => (p as number) - (q as number));
    return Math.abs(sorted.indexOf(x) - sorted.indexOf(y)) / (sorted.length - 1);
  }
  return x === y ? 0 : 1;
}

/**
 * How far apart two points are, each dimension counting up to 1, and a dimension only
 * one of them has (an MLP's hidden units against a softmax) counting 1.
 */
export function pointDistance(space: SearchSpace, a: SearchPoint, b: SearchPoint): number {
  let distance = 0;
  for (const dimension of space) {
    const inA = isActive(dimension, a);
    if (inA !== isActive(dimension, b)) distance += 1;
    else if (inA) distance += valueDistance(dimension, a, b);
  }
  return distance;
}
