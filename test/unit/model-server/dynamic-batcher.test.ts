import { DynamicBatcher } from '../../../model-server/dynamic-batcher.js';

describe('DynamicBatcher', () => {
  const doubling = (maxBatch: number, maxDelayMs: number) => {
    const runs: number[][] = [];
    const batcher = new DynamicBatcher<number, number>({ maxBatch, maxDelayMs, run: async (items) => (runs.push([...items]), items.map((x) => x * 2)) });
    return { batcher, runs };
  };

  it('runs items submitted in the same turn together, each answered with its own result', async () => {
    const { batcher, runs } = doubling(64, 0);
    expect(await Promise.all([1, 2, 3].map((x) => batcher.submit(x)))).toEqual([2, 4, 6]);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it('splits at the maximum batch size, in order', async () => {
    const { batcher, runs } = doubling(2, 50);
    expect(await Promise.all([1, 2, 3, 4, 5].map((x) => batcher.submit(x)))).toEqual([2, 4, 6, 8, 10]);
    expect(runs).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('waits up to the delay for later items to join', async () => {
    const { batcher, runs } = doubling(64, 30);
    const first = batcher.submit(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = batcher.submit(2);
    expect(await Promise.all([first, second])).toEqual([2, 4]);
    expect(runs).toEqual([[1, 2]]);
  });

  it('fails every item of a failed run and keeps serving the next', async () => {
    let fail = true;
    const batcher = new DynamicBatcher<number, number>({ maxBatch: 8, maxDelayMs: 0, run: async (items) => {
      if (fail) throw new Error('ORT failed');
      return items.map((x) => x + 1);
    } });
    const failed = [batcher.submit(1), batcher.submit(2)];
    await expect(Promise.all(failed)).rejects.toThrow('ORT failed');
    await expect(failed[1]).rejects.toThrow('ORT failed');
    fail = false;
    expect(await batcher.submit(3)).toBe(4);
  });

  it('runs at the end of the turn, whatever the delay, once nothing else could join the batch', async () => {
    let others = true;
    const runs: number[][] = [];
    const batcher = new DynamicBatcher<number, number>({ maxBatch: 64, maxDelayMs: 60_000, othersPending: () => others, run: async (items) => (runs.push([...items]), [...items]) });
    const first = batcher.submit(1);
    others = false;
    const second = batcher.submit(2);
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(runs).toEqual([[1, 2]]);
  });

  it('drain answers what is waiting without waiting for the delay', async () => {
    const { batcher } = doubling(64, 60_000);
    const pending = batcher.submit(21);
    await batcher.drain();
    expect(await pending).toBe(42);
  });
});
