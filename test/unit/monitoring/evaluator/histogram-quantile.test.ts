import { histogramQuantile } from '../../../../monitoring/evaluator/histogram-quantile.js';

describe('histogramQuantile (as PromQL computes it)', () => {
  const buckets = [
    { le: 0.1, count: 50 },
    { le: 0.5, count: 90 },
    { le: 1, count: 100 },
    { le: Infinity, count: 100 },
  ];
  it('interpolates inside the bucket the rank falls in', () => {
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.1);
    expect(histogramQuantile(0.7, buckets)).toBeCloseTo(0.1 + 0.4 * (20 / 40));
    expect(histogramQuantile(0.95, buckets)).toBeCloseTo(0.5 + 0.5 * (5 / 10));
    expect(histogramQuantile(0.25, buckets)).toBeCloseTo(0.05);
  });
  it('answers the highest finite bound in the +Inf bucket, and NaN where PromQL does', () => {
    expect(histogramQuantile(0.99, [{ le: 0.1, count: 1 }, { le: Infinity, count: 10 }])).toBe(0.1);
    expect(histogramQuantile(0.5, [{ le: 0.1, count: 0 }, { le: Infinity, count: 0 }])).toBeNaN();
    expect(histogramQuantile(0.5, [{ le: 0.1, count: 1 }, { le: 1, count: 2 }])).toBeNaN();
    expect(histogramQuantile(0.5, [{ le: Infinity, count: 2 }])).toBeNaN();
  });
});
