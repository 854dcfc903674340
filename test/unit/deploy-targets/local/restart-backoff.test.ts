import { RestartBackoff } from '../../../../deploy-targets/local/restart-backoff.js';

describe('RestartBackoff', () => {
  it('doubles from the initial delay up to the cap, and starts over after a reset', () => {
    const backoff = new RestartBackoff({ initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000 });
    expect(Array.from({ length: 9 }, () => backoff.next())).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    backoff.reset();
    expect(backoff.next()).toBe(500);
  });
});
