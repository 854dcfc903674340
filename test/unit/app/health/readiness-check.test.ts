import { checkReadiness } from '../../../../app/health/index.js';

describe('checkReadiness', () => {
  it('is ready when every check answers, and names each failing one with its reason', async () => {
    expect(await checkReadiness([{ name: 'database', probe: async () => {} }], 1000)).toEqual({
      ready: true,
      failing: [],
      checks: [{ name: 'database', ok: true }],
    });
    const report = await checkReadiness(
      [
        { name: 'database', probe: async () => {} },
        { name: 'redis', probe: async () => Promise.reject(new Error('not connected (reconnecting)')) },
      ],
      1000,
    );
    expect(report).toEqual({
      ready: false,
      failing: ['redis'],
      checks: [
        { name: 'database', ok: true },
        { name: 'redis', ok: false, error: 'not connected (reconnecting)' },
      ],
    });
  });

  it('fails a check that never answers once its time is up', async () => {
    const report = await checkReadiness([{ name: 'slack', probe: () => new Promise<void>(() => undefined) }], 20);
    expect(report.failing).toEqual(['slack']);
    expect(report.checks[0]?.error).toBe('did not answer within 20 ms');
  });
});
