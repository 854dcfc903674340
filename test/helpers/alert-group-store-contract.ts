import type { ConversationRef, NewAlertGroup, StateStore } from '../../core/index.js';
import { alertGroupId } from '../../core/index.js';

const conversation: ConversationRef = { platform: 'slack', workspace: 'T1', channelId: 'C1' };

export function newAlertGroup(overrides: Partial<NewAlertGroup> = {}): NewAlertGroup {
  const groupKey = overrides.groupKey ?? '{}:{alertname="High latency"}';
  return {
    id: alertGroupId(groupKey),
    groupKey,
    receiver: 'opsbot',
    conversation,
    status: 'firing',
    groupLabels: { alertname: 'High latency' },
    commonLabels: { alertname: 'High latency', severity: 'critical', model: 'sentiment', env: 'prod' },
    commonAnnotations: { summary: 'p95 over 500ms' },
    externalURL: 'http://alertmanager:9093',
    truncatedAlerts: 0,
    alerts: [{ fingerprint: 'f1', status: 'firing', labels: { alertname: 'High latency', pod: 'a' }, annotations: { value: '812' }, startsAt: '2026-12-01T10:00:00Z' }],
    firstSeen: '2026-12-01T10:00:00Z',
    lastSeen: '2026-12-01T10:00:30Z',
    deployment: { model: 'sentiment', env: 'prod', version: 3, colour: 'green', promotedBy: 'alice', promotedAt: '2026-11-30T09:00:00Z' },
    ...overrides,
  };
}

/** The behaviour every AlertGroupStore shows (StateStore.alertGroups), against a fresh store per test. */
export function defineAlertGroupStoreContract(name: string, factory: () => Promise<StateStore>, cleanup?: () => Promise<void> | void): void {
  describe(`AlertGroupStore contract: ${name}`, () => {
    let store: StateStore;
    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await store.close();
      await cleanup?.();
    });

    it('creates a group once, by id and by group key, and round-trips every field', async () => {
      const input = newAlertGroup();
      const created = await store.alertGroups.create(input);
      expect(created).toEqual({ ...input, revision: 1, createdAt: expect.any(String), updatedAt: expect.any(String) });
      expect(await store.alertGroups.get(input.id)).toEqual(created);
      expect(await store.alertGroups.getByGroupKey(input.groupKey)).toEqual(created);
      // A second create of the same group (a restart, another process) creates nothing: one parent per group.
      expect(await store.alertGroups.create({ ...input, receiver: 'other' })).toBeUndefined();
      expect((await store.alertGroups.get(input.id))?.receiver).toBe('opsbot');
      expect(await store.alertGroups.get('a-0000000000')).toBeUndefined();
      expect(await store.alertGroups.getByGroupKey('absent')).toBeUndefined();
    });

    it('only one of concurrent creates of a group succeeds', async () => {
      const results = await Promise.all(Array.from({ length: 6 }, () => store.alertGroups.create(newAlertGroup())));
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    });

    it('updates by compare-and-set on the revision, and a patched-away field is removed', async () => {
      const created = (await store.alertGroups.create(newAlertGroup()))!;
      const acked = await store.alertGroups.update(created.id, 1, {
        parentRef: 'C1:171.1',
        acknowledged: { who: 'slack:T1:U1', displayName: 'alice', at: '2026-12-01T10:01:00Z' },
        silence: { who: 'slack:T1:U2', displayName: 'bob', at: '2026-12-01T10:01:00Z', kind: 'alertmanager', silenceId: 's-1', until: '2026-12-01T11:01:00Z' },
      });
      expect(acked).toMatchObject({ revision: 2, parentRef: 'C1:171.1', acknowledged: { displayName: 'alice' }, silence: { silenceId: 's-1' } });
      // A writer that read revision 1 lost: nothing it wrote lands.
      expect(await store.alertGroups.update(created.id, 1, { status: 'resolved' })).toBeUndefined();
      expect((await store.alertGroups.get(created.id))?.status).toBe('firing');
      const unsilenced = await store.alertGroups.update(created.id, 2, { silence: undefined, status: 'resolved' });
      expect(unsilenced).toMatchObject({ revision: 3, status: 'resolved' });
      expect(unsilenced).not.toHaveProperty('silence');
      expect(await store.alertGroups.get(created.id)).toEqual(unsilenced);
      expect(await store.alertGroups.update('a-0000000000', 1, { status: 'resolved' })).toBeUndefined();
    });

    it('counts the groups firing now by severity and receiver', async () => {
      expect(await store.alertGroups.countFiring()).toEqual([]);
      const key = (n: number) => `{}:{alertname="A${n}"}`;
      const make = (n: number, severity: string | undefined, receiver: string) =>
        store.alertGroups.create(newAlertGroup({ id: alertGroupId(key(n)), groupKey: key(n), receiver, commonLabels: severity ? { severity } : {} }));
      await make(1, 'critical', 'opsbot');
      await make(2, 'critical', 'opsbot');
      await make(3, 'warning', 'opsbot-embedded');
      await make(4, undefined, 'opsbot');
      const resolved = (await make(5, 'critical', 'opsbot'))!;
      await store.alertGroups.update(resolved.id, 1, { status: 'resolved' });
      const counts = await store.alertGroups.countFiring();
      expect(counts).toHaveLength(3);
      expect(counts).toEqual(expect.arrayContaining([
        { severity: '', receiver: 'opsbot', count: 1 },
        { severity: 'critical', receiver: 'opsbot', count: 2 },
        { severity: 'warning', receiver: 'opsbot-embedded', count: 1 },
      ]));
    });

    it('lets exactly one of concurrent writers at the same revision win', async () => {
      const created = (await store.alertGroups.create(newAlertGroup()))!;
      const results = await Promise.all(
        ['alice', 'bob', 'carol', 'dan'].map((name) => store.alertGroups.update(created.id, created.revision, { acknowledged: { who: name, displayName: name, at: '2026-12-01T10:01:00Z' } })),
      );
      const winners = results.filter((r) => r !== undefined);
      expect(winners).toHaveLength(1);
      expect((await store.alertGroups.get(created.id))?.acknowledged?.who).toBe(winners[0]!.acknowledged!.who);
      expect((await store.alertGroups.get(created.id))?.revision).toBe(2);
    });

    it('keeps groups across reopening (a restart never posts a second parent)', async () => {
      // Covered by the adapters' own reopen tests for the file/schema; here: state survives a fresh read.
      const created = (await store.alertGroups.create(newAlertGroup()))!;
      await store.alertGroups.update(created.id, 1, { parentRef: 'C1:171.1' });
      expect((await store.alertGroups.getByGroupKey(created.groupKey))?.parentRef).toBe('C1:171.1');
    });
  });
}
