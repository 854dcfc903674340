import { RecentIds } from '../../../../bot/slack/recent-ids.js';

describe('RecentIds', () => {
  it('reports a repeat within the window as a duplicate, and forgets it after', () => {
    const ids = new RecentIds(3_600_000);
    expect(ids.add('Ev1', 0)).toBe(true);
    expect(ids.add('Ev1', 3_599_999)).toBe(false);
    expect(ids.add('Ev1', 3_600_001)).toBe(true);
  });

  it('keeps memory bounded, forgetting the oldest first', () => {
    const ids = new RecentIds(3_600_000, 100);
    for (let i = 0; i < 1000; i++) ids.add(`Ev${i}`, i);
    expect(ids.size).toBe(100);
    expect(ids.add('Ev999', 1000)).toBe(false);
    expect(ids.add('Ev0', 1000)).toBe(true);
  });
});
