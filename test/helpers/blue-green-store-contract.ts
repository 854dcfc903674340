import type {
  ApprovalVote,
  ConversationRef,
  DeploymentReport,
  Identity,
  NewBlueGreenDeployment,
  StateStore,
} from '../../core/index.js';

const alice: Identity = { platform: 'slack', workspace: 'T1', userId: 'U1', displayName: 'alice' };
const conversation: ConversationRef = { platform: 'slack', workspace: 'T1', channelId: 'C1', threadId: '171.2' };

function newDeployment(overrides: Partial<NewBlueGreenDeployment> = {}): NewBlueGreenDeployment {
  return {
    id: 'd-deploy01',
    jobId: 'j-deploy01',
    model: 'sentiment',
    env: 'prod',
    version: 2,
    colour: 'green',
    previousVersion: 1,
    requestedBy: alice,
    conversation,
    approvalsRequired: 2,
    ...overrides,
  };
}

function vote(voter: string, decision: ApprovalVote['decision'], at: string): ApprovalVote {
  return { voter, displayName: voter.split(':').pop()!, decision, at };
}

/** Everything the approval card shows, including a metric the live version never had (null). */
const report: DeploymentReport = {
  evaluation: { accuracy: [0.91, 0.93], f1: [null, 0.88] },
  smokeTest: { texts: 20, agreement: null, labels: { positive: 12, negative: 8 }, liveLabels: { positive: 11, negative: 9 } },
  latencyMs: { p50: 3.5, p99: 12 },
  healthy: true,
};

/** Distinct timestamps whatever clock the store uses (milliseconds are the resolution). */
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/**
 * The BlueGreenStore part of the StateStore contract; called inside defineStateStoreContract's
 * describe, so it runs over every adapter that contract runs over. `store` returns that test's store.
 */
export function defineBlueGreenStoreContract(store: () => StateStore): void {
  describe('blueGreen', () => {
    const bg = () => store().blueGreen;

    describe('deployments', () => {
      it('creates a deployment rolling out, with no votes and an empty report, and reads it back by id and job', async () => {
        const input = newDeployment();
        const created = await bg().create(input);
        expect(created).toEqual({
          ...input,
          phase: 'rolling_out',
          votes: [],
          report: {},
          createdAt: expect.any(String),
          updatedAt: created.createdAt,
        });
        expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);
        for (const absent of ['cardRef', 'expiresAt', 'decidedBy', 'reason']) expect(created).not.toHaveProperty(absent);
        expect(await bg().get('d-deploy01')).toEqual(created);
        expect(await bg().getByJob('j-deploy01')).toEqual(created);
        expect(await bg().get('d-missing1')).toBeUndefined();
        expect(await bg().getByJob('j-missing1')).toBeUndefined();
      });

      it('round-trips every field exactly: identity, conversation, the report with its nulls, times in one ISO form', async () => {
        const input = newDeployment({
          phase: 'awaiting_approval',
          report,
          cardRef: 'C1:171.9',
          expiresAt: '2026-03-01T11:00:00+01:00',
          decidedBy: 'slack:T1:U2',
          reason: 'first deploy',
        });
        const created = await bg().create(input);
        expect(created).toMatchObject({ ...input, expiresAt: '2026-03-01T10:00:00.000Z' });
        expect(await bg().get(created.id)).toEqual(created);
      });

      it('leaves previousVersion out when nothing was live', async () => {
        const { previousVersion: _, ...input } = newDeployment();
        const created = await bg().create(input);
        expect(created).not.toHaveProperty('previousVersion');
        expect(await bg().get(created.id)).not.toHaveProperty('previousVersion');
      });

      it('returns the first deployment when the same job creates again (a retried deploy job), without throwing', async () => {
        const first = await bg().create(newDeployment());
        await tick();
        const again = await bg().create(newDeployment({ version: 9, colour: 'blue' }));
        expect(again).toEqual(first);
        expect(await bg().list({})).toHaveLength(1);
      });

      it('gives one deployment to creates of the same job that race', async () => {
        const created = await Promise.all(Array.from({ length: 4 }, () => bg().create(newDeployment())));
        for (const deployment of created) expect(deployment).toEqual(created[0]);
        expect(await bg().list({})).toHaveLength(1);
      });

      it('refuses another job’s deployment under an id already taken', async () => {
        await bg().create(newDeployment());
        await expect(bg().create(newDeployment({ jobId: 'j-other001' }))).rejects.toMatchObject({ code: 'conflict' });
      });

      it('lists newest first, filtered by model, environment and phases, with a limit', async () => {
        const make = async (n: number, overrides: Partial<NewBlueGreenDeployment>) =>
          bg().create(newDeployment({ id: `d-list000${n}`, jobId: `j-list000${n}`, ...overrides }));
        await make(1, { env: 'staging' });
        await make(2, {});
        await make(3, { model: 'fraud' });
        await make(4, { phase: 'awaiting_approval' });
        await make(5, { env: 'staging', phase: 'live' });
        const ids = async (filter: Parameters<StateStore['blueGreen']['list']>[0]) => (await bg().list(filter)).map((d) => d.id);
        expect(await ids({})).toEqual(['d-list0005', 'd-list0004', 'd-list0003', 'd-list0002', 'd-list0001']);
        expect(await ids({ model: 'sentiment', env: 'prod' })).toEqual(['d-list0004', 'd-list0002']);
        expect(await ids({ env: 'staging' })).toEqual(['d-list0005', 'd-list0001']);
        expect(await ids({ model: 'fraud' })).toEqual(['d-list0003']);
        expect(await ids({ phases: ['awaiting_approval', 'live'] })).toEqual(['d-list0005', 'd-list0004']);
        expect(await ids({ model: 'sentiment', phases: ['rolling_out'], limit: 1 })).toEqual(['d-list0002']);
        expect(await ids({ phases: [] })).toEqual([]);
        expect(await ids({ model: 'absent' })).toEqual([]);
        const [listed] = await bg().list({ limit: 1 });
        expect(listed).toEqual(await bg().get('d-list0005'));
      });
    });

    describe('transitions', () => {
      it('moves a deployment only from one of the given phases, applying the patch and bumping updatedAt', async () => {
        const created = await bg().create(newDeployment());
        await tick();
        const waiting = await bg().transition(created.id, ['rolling_out'], 'awaiting_approval', {
          expiresAt: '2026-03-01T10:30:00Z',
          report,
        });
        expect(waiting).toEqual({
          ...created,
          phase: 'awaiting_approval',
          expiresAt: '2026-03-01T10:30:00.000Z',
          report,
          updatedAt: expect.any(String),
        });
        expect(waiting!.updatedAt > created.updatedAt).toBe(true);
        expect(await bg().get(created.id)).toEqual(waiting);

        expect(await bg().transition(created.id, ['rolling_out'], 'failed', { reason: 'late' })).toBeUndefined();
        expect(await bg().transition(created.id, [], 'failed')).toBeUndefined();
        expect(await bg().get(created.id)).toEqual(waiting);

        const promoted = await bg().transition(created.id, ['awaiting_approval', 'rolling_out'], 'promoting', {
          decidedBy: 'slack:T1:U2',
        });
        // Fields the patch leaves out keep their values.
        expect(promoted).toMatchObject({ phase: 'promoting', decidedBy: 'slack:T1:U2', expiresAt: waiting!.expiresAt, report });
        expect(await bg().transition('d-missing1', ['rolling_out'], 'failed')).toBeUndefined();
      });

      it('updates fields without a phase change', async () => {
        const created = await bg().create(newDeployment());
        await tick();
        const updated = await bg().update(created.id, { cardRef: 'C1:171.9', report });
        expect(updated).toEqual({ ...created, cardRef: 'C1:171.9', report, updatedAt: expect.any(String) });
        expect(updated!.updatedAt > created.updatedAt).toBe(true);
        expect(await bg().update(created.id, { reason: 'noted' })).toMatchObject({ cardRef: 'C1:171.9', report, reason: 'noted' });
        expect(await bg().update('d-missing1', { reason: 'x' })).toBeUndefined();
      });

      it('lets exactly one of two racing transitions from awaiting approval win', async () => {
        const created = await bg().create(newDeployment({ phase: 'awaiting_approval' }));
        const [promoted, expired] = await Promise.all([
          bg().transition(created.id, ['awaiting_approval'], 'promoting', { decidedBy: 'slack:T1:U2' }),
          bg().transition(created.id, ['awaiting_approval'], 'expired', { reason: 'nobody approved in time' }),
        ]);
        const winners = [promoted, expired].filter((d) => d !== undefined);
        expect(winners).toHaveLength(1);
        expect((await bg().get(created.id))!.phase).toBe(winners[0]!.phase);
      });
    });

    describe('votes', () => {
      it('records votes only while awaiting approval, oldest first, a person’s later vote replacing their earlier one', async () => {
        const created = await bg().create(newDeployment());
        expect(await bg().vote(created.id, vote('slack:T1:U2', 'approve', '2026-03-01T10:00:00.000Z'))).toBeUndefined();
        await bg().transition(created.id, ['rolling_out'], 'awaiting_approval');

        const first = await bg().vote(created.id, vote('slack:T1:U2', 'reject', '2026-03-01T10:01:00.000Z'));
        expect(first!.votes).toEqual([vote('slack:T1:U2', 'reject', '2026-03-01T10:01:00.000Z')]);
        await bg().vote(created.id, vote('slack:T1:U3', 'approve', '2026-03-01T10:02:00+00:00'));
        const changed = await bg().vote(created.id, vote('slack:T1:U2', 'approve', '2026-03-01T10:03:00.000Z'));
        expect(changed).toMatchObject({ id: created.id, phase: 'awaiting_approval' });
        expect(changed!.votes).toEqual([
          vote('slack:T1:U3', 'approve', '2026-03-01T10:02:00.000Z'),
          vote('slack:T1:U2', 'approve', '2026-03-01T10:03:00.000Z'),
        ]);
        expect((await bg().get(created.id))!.votes).toEqual(changed!.votes);
        expect((await bg().getByJob(created.jobId))!.votes).toEqual(changed!.votes);
        expect((await bg().list({}))[0]!.votes).toEqual(changed!.votes);

        const promoted = await bg().transition(created.id, ['awaiting_approval'], 'promoting');
        expect(promoted!.votes).toEqual(changed!.votes);
        expect(await bg().vote(created.id, vote('slack:T1:U4', 'reject', '2026-03-01T10:04:00.000Z'))).toBeUndefined();
        expect((await bg().get(created.id))!.votes).toHaveLength(2);
        expect(await bg().vote('d-missing1', vote('slack:T1:U2', 'approve', '2026-03-01T10:00:00.000Z'))).toBeUndefined();
      });

      it('counts a double click once, even when both arrive together', async () => {
        const created = await bg().create(newDeployment({ phase: 'awaiting_approval' }));
        const click = vote('slack:T1:U2', 'approve', '2026-03-01T10:01:00.000Z');
        const results = await Promise.all([bg().vote(created.id, click), bg().vote(created.id, click)]);
        for (const result of results) expect(result!.votes).toEqual([click]);
        expect((await bg().get(created.id))!.votes).toEqual([click]);
      });

      it('shows the last of racing voters every vote, so whoever completes the approvals knows it', async () => {
        const created = await bg().create(newDeployment({ phase: 'awaiting_approval', approvalsRequired: 3 }));
        const voters = ['slack:T1:U2', 'slack:T1:U3', 'slack:T1:U4'];
        const results = await Promise.all(voters.map((v, i) => bg().vote(created.id, vote(v, 'approve', `2026-03-01T10:0${i}:00.000Z`))));
        expect(Math.max(...results.map((r) => r!.votes.length))).toBe(3);
      });

      it('never records a vote after a racing transition took the deployment out of approval', async () => {
        const created = await bg().create(newDeployment({ phase: 'awaiting_approval' }));
        const [voted, expired] = await Promise.all([
          bg().vote(created.id, vote('slack:T1:U2', 'approve', '2026-03-01T10:01:00.000Z')),
          bg().transition(created.id, ['awaiting_approval'], 'expired'),
        ]);
        expect(expired).toBeDefined();
        const stored = (await bg().get(created.id))!;
        expect(stored.votes).toHaveLength(voted ? 1 : 0);
        expect(expired!.votes).toEqual(stored.votes);
      });

      it('refuses a vote time that is not a time', async () => {
        const created = await bg().create(newDeployment({ phase: 'awaiting_approval' }));
        await expect(bg().vote(created.id, vote('slack:T1:U2', 'approve', 'yesterday'))).rejects.toMatchObject({ code: 'invalid_input' });
        expect((await bg().get(created.id))!.votes).toEqual([]);
      });
    });

    describe('serving slots', () => {
      it('saves, replaces, lists and removes the desired state per model and environment', async () => {
        expect(await bg().slot('sentiment', 'prod')).toBeUndefined();
        expect(await bg().slots()).toEqual([]);

        const first = await bg().saveSlot({ model: 'sentiment', env: 'prod', colours: { blue: { version: 1, scaling: { replicas: 2 } } } });
        expect(first).toEqual({
          model: 'sentiment',
          env: 'prod',
          colours: { blue: { version: 1, scaling: { replicas: 2 } } },
          updatedAt: expect.any(String),
        });
        expect(first).not.toHaveProperty('live');
        expect(first).not.toHaveProperty('idleWarmUntil');
        expect(await bg().slot('sentiment', 'prod')).toEqual(first);

        await tick();
        const promoted = await bg().saveSlot({
          model: 'sentiment',
          env: 'prod',
          live: 'green',
          colours: { blue: { version: 1, scaling: { replicas: 2 } }, green: { version: 2, scaling: { min: 2, max: 8 } } },
          idleWarmUntil: '2026-03-01T12:00:00Z',
        });
        expect(promoted).toMatchObject({ live: 'green', idleWarmUntil: '2026-03-01T12:00:00.000Z' });
        expect(promoted.colours.green).toEqual({ version: 2, scaling: { min: 2, max: 8 } });
        expect(promoted.updatedAt > first.updatedAt).toBe(true);
        expect(await bg().slot('sentiment', 'prod')).toEqual(promoted);

        // Saving replaces the whole state: the idle colour retired, its keep-warm time gone.
        const retired = await bg().saveSlot({ model: 'sentiment', env: 'prod', live: 'green', colours: { green: promoted.colours.green! } });
        expect(retired).not.toHaveProperty('idleWarmUntil');
        expect(retired.colours).toEqual({ green: { version: 2, scaling: { min: 2, max: 8 } } });

        const staging = await bg().saveSlot({ model: 'sentiment', env: 'staging', live: 'blue', colours: {} });
        const fraud = await bg().saveSlot({ model: 'fraud', env: 'prod', colours: {} });
        expect(await bg().slots()).toEqual([fraud, retired, staging]);

        await bg().removeSlot('sentiment', 'prod');
        await bg().removeSlot('sentiment', 'prod'); // removing what is gone is harmless
        expect(await bg().slot('sentiment', 'prod')).toBeUndefined();
        expect(await bg().slots()).toEqual([fraud, staging]);
      });
    });
  });
}
