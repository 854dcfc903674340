import { enumerateGrid, gridSearchPoints } from '../../../../workers/tuning/grid-search.js';
import { pointDistance } from '../../../../workers/tuning/point-distance.js';
import type { SearchPoint } from '../../../../workers/tuning/search-space.js';
import { createSearch } from '../../../../workers/tuning/search-strategy.js';
import { TRAINER_SEARCH_SPACE } from '../../../../workers/tuning/trainer-search-space.js';

describe('grid search', () => {
  it('enumerates 3 log-spaced values per continuous dimension, and hidden units only for MLPs', () => {
    const grid = enumerateGrid(TRAINER_SEARCH_SPACE);
    // softmax: 3 lr × 3 l2 × 3 batch; mlp: the same × 4 hidden sizes.
    expect(grid).toHaveLength(27 + 108);
    expect(new Set(grid.map((p) => p.learningRate))).toEqual(new Set([0.00925, 0.0316, 0.108]));
    expect(new Set(grid.map((p) => p.l2))).toEqual(new Set([3.16e-6, 3.16e-5, 3.16e-4]));
    expect(grid.filter((p) => p.algorithm === 'softmax').every((p) => !('hidden' in p))).toBe(true);
    expect(new Set(grid.map((p) => JSON.stringify(p))).size).toBe(grid.length);
  });

  it('picks the same spread-out subset every time: the middle first, then the farthest points, both algorithms early', () => {
    const points = gridSearchPoints(TRAINER_SEARCH_SPACE, 8);
    expect(points).toEqual(gridSearchPoints(TRAINER_SEARCH_SPACE, 8));
    expect(points).toHaveLength(8);
    expect(points[0]).toEqual({ algorithm: 'mlp', learningRate: 0.0316, l2: 3.16e-5, hidden: 32, batchSize: 64 });
    expect(points[1]?.algorithm).toBe('softmax');
    expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(8);
    // Truncating keeps the prefix: a shorter search runs the first trials of a longer one.
    expect(gridSearchPoints(TRAINER_SEARCH_SPACE, 3)).toEqual(points.slice(0, 3));
    // Farthest-point order: each new point is at least as far from the earlier ones as any later point is.
    const gap = (k: number) => Math.min(...points.slice(0, k).map((p) => pointDistance(TRAINER_SEARCH_SPACE, p, points[k] as SearchPoint)));
    for (let k = 2; k < 7; k++) expect(gap(k)).toBeGreaterThanOrEqual(gap(k + 1));
  });

  it('runs the whole grid when it is smaller than the trials asked for', () => {
    const search = createSearch('grid', TRAINER_SEARCH_SPACE, 100, 1);
    expect(search.trials).toBe(100);
    const small = createSearch('grid', [{ kind: 'categorical', name: 'c', choices: ['a', 'b'] }], 8, 1);
    expect(small.trials).toBe(2);
    // A grid is one batch: every point at once, the rest after a partial result.
    expect(small.nextBatch([])).toEqual([{ c: 'a' }, { c: 'b' }]);
    expect(small.nextBatch([{ point: { c: 'a' }, loss: 1 }])).toEqual([{ c: 'b' }]);
  });
});
