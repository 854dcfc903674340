import { pointDistance } from './point-distance.js';
import { isActive, type Dimension, type ParamValue, type SearchPoint, type SearchSpace } from './search-space.js';

/** Grid values per log-uniform dimension. */
const GRID_STEPS = 3;

/** The centres of GRID_STEPS equal cells of the log range: 0.005–0.2 gives 0.00925, 0.0316, 0.108. */
function gridValues(dimension: Dimension): readonly ParamValue[] {
  if (dimension.kind === 'categorical') return dimension.choices;
  const low = Math.log(dimension.low);
  const span = Math.log(dimension.high) - low;
  return Array.from({ length: GRID_STEPS }, (_, i) => Number(Math.exp(low + ((i + 0.5) / GRID_STEPS) * span).toPrecision(3)));
}

/** Every grid point, in order; a conditional dimension multiplies only the points where it exists. */
export function enumerateGrid(space: SearchSpace): SearchPoint[] {
  let points: SearchPoint[] = [{}];
  for (const dimension of space) {
    const values = gridValues(dimension);
    points = points.flatMap((point) => (isActive(dimension, point) ? values.map((value) => ({ ...point, [dimension.name]: value })) : [point]));
  }
  return points;
}

/** The point with the smallest total distance to all others: the grid's middle, a sensible first trial. */
function medoidIndex(space: SearchSpace, points: readonly SearchPoint[]): number {
  let best = { index: 0, total: Infinity };
  points.forEach((p, index) => {
    const total = points.reduce((sum, q) => sum + pointDistance(space, p, q), 0);
    if (total < best.total) best = { index, total };
  });
  return best.index;
}

/**
 * The grid, or when it has more points than `trials`, a spread-out subset of it:
 * the medoid first, then each time the point farthest from those already chosen
 * (ties: the earlier grid point). Deterministic, and coarse to fine, so the first
 * trials already cover the grid, both algorithms included, and a search cut short
 * has still looked broadly.
 */
export function gridSearchPoints(space: SearchSpace, trials: number): SearchPoint[] {
  const grid = enumerateGrid(space);
  if (grid.length <= trials) return grid;
  const chosen: SearchPoint[] = [];
  const nearest = grid.map(() => Infinity);
  let next = medoidIndex(space, grid);
  while (chosen.length < trials) {
    const point = grid[next] as SearchPoint;
    chosen.push(point);
    nearest.forEach((d, i) => (nearest[i] = Math.min(d, pointDistance(space, point, grid[i] as SearchPoint))));
    next = nearest.reduce((far, d, i) => (d > (nearest[far] as number) ? i : far), 0);
  }
  return chosen;
}
