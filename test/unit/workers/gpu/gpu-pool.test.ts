import { GpuPool } from '../../../../workers/gpu/gpu-pool.js';

describe('GpuPool', () => {
  const devices = [0, 1, 2, 3].map((index) => ({ index, name: 'A100' }));

  it('gives each job its own GPUs and takes them back when it finishes', () => {
    const pool = new GpuPool(devices);
    expect(pool.take('a', 1)).toEqual([0]);
    expect(pool.take('b', 2)).toEqual([1, 2]);
    expect(pool.take('c', 2)).toBeUndefined();
    expect(pool.free).toBe(1);
    pool.release('b');
    expect(pool.take('c', 2)).toEqual([1, 2]);
    expect(pool.status().map((g) => g.jobId)).toEqual(['a', 'c', 'c', undefined]);
    pool.release('a');
    pool.release('c');
    expect(pool.free).toBe(4);
  });

  it('never hands out more than it has', () => {
    const pool = new GpuPool(devices.slice(0, 1));
    expect(pool.take('a', 2)).toBeUndefined();
    expect(pool.free).toBe(1);
  });
});
