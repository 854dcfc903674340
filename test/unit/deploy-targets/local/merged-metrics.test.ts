import { mergeReplicaPages } from '../../../../deploy-targets/local/merged-metrics.js';

describe('mergeReplicaPages', () => {
  it('keeps a histogram\'s _bucket, _sum and _count in its family, and untyped samples in families of their own', () => {
    const page = (n: number) =>
      [
        '# HELP h Latency',
        '# TYPE h histogram',
        `h_bucket{le="+Inf"} ${n}`,
        `h_sum ${n / 10}`,
        `h_count ${n}`,
        `untyped_total{} ${n}`,
        `other_gauge ${n} 1700000000000`,
      ].join('\n');
    expect(mergeReplicaPages([{ labels: { replica: 'blue-1' }, text: page(1) }, { labels: { replica: 'blue-2' }, text: page(2) }]).trim().split('\n')).toEqual([
      '# HELP h Latency',
      '# TYPE h histogram',
      'h_bucket{replica="blue-1",le="+Inf"} 1',
      'h_sum{replica="blue-1"} 0.1',
      'h_count{replica="blue-1"} 1',
      'h_bucket{replica="blue-2",le="+Inf"} 2',
      'h_sum{replica="blue-2"} 0.2',
      'h_count{replica="blue-2"} 2',
      'untyped_total{replica="blue-1"} 1',
      'untyped_total{replica="blue-2"} 2',
      'other_gauge{replica="blue-1"} 1 1700000000000',
      'other_gauge{replica="blue-2"} 2 1700000000000',
    ]);
  });
});
