import type { RuleAlertWrite, StateStore } from '../../core/index.js';

export function ruleAlert(overrides: Partial<RuleAlertWrite> = {}): RuleAlertWrite {
  return {
    key: 'HighLatency|sentiment|prod',
    rule: 'High latency',
    model: 'sentiment',
    env: 'prod',
    status: 'firing',
    activeSince: '2026-12-01T10:00:00.000Z',
    firingSince: '2026-12-01T10:05:00.000Z',
    value: 612.5,
    labels: { alertname: 'HighLatency', severity: 'critical', model: 'sentiment', env: 'prod' },
    ...overrides,
  };
}

/** The behaviour every RuleAlertStore shows (StateStore.ruleAlerts), against a fresh store per test. */
export function defineRuleAlertStoreContract(name: string, factory: () => Promise<StateStore>, cleanup?: () => Promise<void> | void): void {
  describe(`RuleAlertStore contract: ${name}`, () => {
    let store: StateStore;
    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await store.close();
      await cleanup?.();
    });

    it('stores a fired alert once, lists it with every field, and updates it by compare-and-set', async () => {
      expect(await store.ruleAlerts.list()).toEqual([]);
      const fired = await store.ruleAlerts.save(ruleAlert(), 0);
      expect(fired).toEqual({ ...ruleAlert(), revision: 1 });
      // Another evaluator firing the same alert at the same time stores nothing: it fires once.
      expect(await store.ruleAlerts.save(ruleAlert({ value: 900 }), 0)).toBeUndefined();
      const told = await store.ruleAlerts.save({ ...ruleAlert(), notifiedAt: '2026-12-01T10:05:01.000Z' }, 1);
      expect(told).toMatchObject({ revision: 2, notifiedAt: '2026-12-01T10:05:01.000Z', value: 612.5 });
      // A writer still holding revision 1 lost the race.
      expect(await store.ruleAlerts.save({ ...ruleAlert(), status: 'resolved' }, 1)).toBeUndefined();
      await store.ruleAlerts.save(ruleAlert({ key: 'ErrorRate|sentiment|prod', rule: 'Error rate' }), 0);
      expect((await store.ruleAlerts.list()).map((a) => [a.key, a.revision])).toEqual([
        ['ErrorRate|sentiment|prod', 1],
        ['HighLatency|sentiment|prod', 2],
      ]);
    });

    it('removes an alert only at the revision the remover read', async () => {
      await store.ruleAlerts.save(ruleAlert(), 0);
      await store.ruleAlerts.save({ ...ruleAlert(), status: 'resolved', resolvedAt: '2026-12-01T11:00:00.000Z' }, 1);
      expect(await store.ruleAlerts.remove(ruleAlert().key, 1)).toBe(false);
      expect(await store.ruleAlerts.list()).toHaveLength(1);
      expect(await store.ruleAlerts.remove(ruleAlert().key, 2)).toBe(true);
      expect(await store.ruleAlerts.list()).toEqual([]);
      expect(await store.ruleAlerts.remove(ruleAlert().key, 2)).toBe(false);
    });

    it('only one of concurrent first writes succeeds', async () => {
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => store.ruleAlerts.save(ruleAlert({ value: i }), 0)));
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    });
  });
}
