import { alertGroupId } from '../../../core/index.js';
import { groupWebhook, postToReceiver, type AlertFields, type GroupFields } from '../../helpers/alertmanager-payloads.js';
import { eventually } from '../../helpers/eventually.js';
import { TEAMS_TENANT, teamsAlice, teamsBob, teamsCardExecute, teamsMessage, type TeamsUser } from '../../helpers/teams-activities.js';
import type { ConnectorCall } from '../../helpers/teams-connector-fake.js';
import { startTeamsHarness, type TeamsHarness } from '../../helpers/teams-harness.js';

const TOKEN = 'teams-triage-token-0123456789abcdefghijkl';
/** The alerts channel: its root posts start reply chains. */
const ALERTS = '19:alerts0123@thread.tacv2';
const errorRate: GroupFields = { alertname: 'Error rate', model: 'sentiment', env: 'staging' };
/** Whom Escalate mentions in Teams; `onCall` is Slack's group, which means nothing here. */
const ONCALL_TEAMS = { id: '29:1oncall-teams-id', name: 'ML on-call' };

interface CardButton {
  type: string;
  title: string;
  data?: { command?: string };
}

const cardBody = (call: ConnectorCall) => (call.body.attachments?.[0]?.content?.body ?? []) as Array<{ type: string; actions?: CardButton[] }>;
const cardText = (call: ConnectorCall) => JSON.stringify(cardBody(call));
const buttonsOf = (call: ConnectorCall) => cardBody(call).filter((e) => e.type === 'ActionSet').flatMap((e) => e.actions ?? []);
const titles = (call: ConnectorCall) => buttonsOf(call).map((b) => b.title);

/**
 * Alert triage through the Teams adapter: botbuilder's CloudAdapter on the bot's HTTP server (JWTs checked
 * against a fake token authority), the Bot Framework connector fake at the serviceUrl, Action.Execute invokes
 * for the buttons, the in-memory deploy target, and opsbot silences (no Alertmanager configured).
 */
describe('alert triage through Teams', () => {
  let bot: TeamsHarness;

  beforeAll(async () => {
    bot = await startTeamsHarness({
      configure: (config) => {
        config.rbac = { ...config.rbac, chatDefaultRoles: ['viewer'], users: { [`teams:${TEAMS_TENANT}:${teamsAlice.aadObjectId}`]: ['deployer'] } };
        config.environments = config.environments.map((e) => (e.name === 'staging' ? { ...e, maxReplicas: 2 } : e));
        config.alerts = { rules: [], evaluator: 'embedded', evaluationIntervalSeconds: 15, receiverToken: TOKEN, onCall: '<!subteam^S0ONCALL>', onCallTeams: ONCALL_TEAMS, routes: [{ match: {}, conversation: { platform: 'teams', workspace: TEAMS_TENANT, channelId: ALERTS } }] };
      },
    });
    // opsbot learns where a Teams conversation lives from a message in it: someone asks for help in the channel.
    expect((await bot.send(teamsMessage('help', { serviceUrl: bot.connector.serviceUrl, scope: 'channel', conversationId: ALERTS, mention: true }))).status).toBe(200);
    await eventually('the help reply', () => bot.connector.calls.find((c) => c.conversationId === ALERTS));
    // Something live in staging, so the alerts show it and offer Scale up.
    await bot.seedVersion('sentiment');
    await bot.send(teamsMessage('deploy sentiment v1 to staging', { serviceUrl: bot.connector.serviceUrl, from: teamsAlice }));
    await eventually('v1 live in staging', async () => (await bot.store.blueGreen.slot('sentiment', 'staging'))?.live, 30_000);
  }, 60_000);

  afterAll(async () => {
    await bot?.close();
  });

  const post = (body: unknown, token = TOKEN, raw?: string) => postToReceiver(bot.url, body, token, raw);
  const notify = async (group: GroupFields, alerts: AlertFields[], truncatedAlerts = 0) => {
    const response = await post(groupWebhook(group, alerts, { truncatedAlerts }));
    expect(response.status).toBe(200);
    return (await response.json()) as { routed: boolean; groupId: string; change: string };
  };
  const idOf = (group: GroupFields) => alertGroupId(groupWebhook(group, []).groupKey);
  /** The parent's activity id, from the group's stored ref. */
  const parentIdOf = async (group: GroupFields) => JSON.parse((await eventually('the stored parent', async () => (await bot.store.alertGroups.get(idOf(group)))?.parentRef))).id as string;
  const callsIn = (kind: ConnectorCall['kind']) => bot.connector.calls.filter((c) => c.conversationId === ALERTS && c.kind === kind);
  /** The parent as the channel shows it now: its post, or its latest update. */
  const parentNow = (id: string) => [...bot.connector.calls].reverse().find((c) => c.conversationId === ALERTS && ((c.kind === 'send' && c.id === id) || (c.kind === 'update' && c.activityId === id)))!;
  /** The summaries of the replies in the parent's reply chain, oldest first. */
  const chain = (id: string) => callsIn('reply').filter((c) => c.activityId === id).map((c) => c.body.summary);

  async function click(from: TeamsUser, parentId: string, title: string): Promise<{ statusCode: number; value: string }> {
    const button = buttonsOf(parentNow(parentId)).find((b) => b.title === title);
    if (!button) throw new Error(`no ${title} button (has ${titles(parentNow(parentId)).join(', ')})`);
    expect(button.type).toBe('Action.Execute');
    const response = await bot.send(teamsCardExecute(button.data, { serviceUrl: bot.connector.serviceUrl, scope: 'channel', conversationId: ALERTS, from, cardActivityId: parentId }));
    expect(response.status).toBe(200);
    return (await response.json()) as { statusCode: number; value: string };
  }

  it('answers a wrong token 401, malformed JSON and a wrong shape 400, and sends nothing to Teams', async () => {
    const before = bot.connector.calls.length;
    expect((await post(groupWebhook(errorRate, [{ fingerprint: 'x' }]), 'not-the-token-0123456789abcdefghijklmn')).status).toBe(401);
    expect((await post(groupWebhook(errorRate, [{ fingerprint: 'x' }]), '')).status).toBe(401);
    expect((await post(undefined, TOKEN, '{"alerts": [')).status).toBe(400);
    const shape = await post({ version: '4', groupKey: '{}:{}', status: 'firing', alerts: [{ labels: 'none' }] });
    expect(shape.status).toBe(400);
    expect(await shape.json()).toMatchObject({ error: 'not an Alertmanager webhook (version 4) body' });
    // (Only the alerts channel: the deploy job's last progress update may still land in its own.)
    expect(bot.connector.calls.slice(before).filter((call) => call.conversationId === ALERTS)).toEqual([]);
    expect(await bot.store.alertGroups.get(idOf(errorRate))).toBeUndefined();
  });

  it('posts one parent per group in the routed channel, updates that activity in place, and says each change in its reply chain', async () => {
    const sendsBefore = callsIn('send').length;
    expect(await notify(errorRate, [{ fingerprint: 't1', labels: { pod: 'a' } }])).toMatchObject({ routed: true, change: 'new' });
    const parentId = await parentIdOf(errorRate);
    const parent = parentNow(parentId);
    expect(parent).toMatchObject({ kind: 'send', conversationId: ALERTS, body: { summary: 'Firing: Error rate — sentiment in staging (1 firing, 0 resolved)' } });
    expect(cardText(parent)).toContain('sentiment v1 (blue) in staging');
    expect(cardText(parent)).toContain('0.08 (threshold 0.05)');
    // The alert's source as a markdown link, not Slack's <url|label>.
    expect(cardText(parent)).toContain('[source](http://prometheus:9090/graph?g0.expr=x)');
    expect(cardText(parent)).not.toContain('|source>');
    expect(titles(parent)).toEqual(['Acknowledge', 'Silence 1h', 'Silence 4h', 'Roll back', 'Scale up', 'Escalate']);

    await notify(errorRate, [{ fingerprint: 't1', labels: { pod: 'a' } }, { fingerprint: 't2', labels: { pod: 'b' } }]);
    await notify(errorRate, [{ fingerprint: 't1', labels: { pod: 'a' } }, { fingerprint: 't2', labels: { pod: 'b' } }], 7);
    expect(cardText(parentNow(parentId))).toContain('2 firing, 0 resolved, 7 more not sent by Alertmanager');
    await notify(errorRate, [{ fingerprint: 't1', labels: { pod: 'a' }, status: 'resolved' }, { fingerprint: 't2', labels: { pod: 'b' } }]);
    expect(parentNow(parentId).body.summary).toBe('Partly resolved: Error rate — sentiment in staging (1 firing, 1 resolved)');
    await notify(errorRate, [{ fingerprint: 't1', labels: { pod: 'a' }, status: 'resolved' }, { fingerprint: 't2', labels: { pod: 'b' }, status: 'resolved' }]);
    expect(parentNow(parentId).body.summary).toBe('Resolved: Error rate — sentiment in staging (0 firing, 2 resolved)');
    expect(titles(parentNow(parentId))).toEqual([]);

    // One activity, edited in place through the connector's update endpoint.
    expect(callsIn('send').length - sendsBefore).toBe(1);
    const updates = callsIn('update').filter((c) => c.activityId === parentId);
    expect(updates.map((c) => [c.method, c.body.summary?.replace(/ — .*\(/, ' (')])).toEqual([
      ['PUT', 'Firing: Error rate (2 firing, 0 resolved)'],
      ['PUT', 'Firing: Error rate (2 firing, 0 resolved)'],
      ['PUT', 'Partly resolved: Error rate (1 firing, 1 resolved)'],
      ['PUT', 'Resolved: Error rate (0 firing, 2 resolved)'],
    ]);
    expect(updates.every((c) => c.body.id === parentId)).toBe(true);
    // Every change a reply to the parent: its reply chain.
    expect(chain(parentId)).toEqual([
      expect.stringMatching(/^Details: 1 alert in group Error rate/),
      'Now 2 firing and 0 resolved (was 1 firing, 0 resolved).',
      'Still firing: 2 alerts of Error rate (repeat notification).',
      'Now 1 firing and 1 resolved (was 2 firing, 0 resolved).',
      'Resolved: all 2 alerts of Error rate have resolved.',
    ]);
    expect(callsIn('reply').filter((c) => c.body.replyToId === parentId)).toHaveLength(5);
    // Firing again: the same parent, the same chain.
    expect(await notify(errorRate, [{ fingerprint: 't1', labels: { pod: 'a' } }])).toMatchObject({ change: 'refired' });
    expect(chain(parentId).at(-1)).toBe('Firing again: 1 alert of Error rate.');
    expect(callsIn('send').length - sendsBefore).toBe(1);
  });

  it('refuses a viewer’s click in the invoke response and audits it; acknowledges, silences (opsbot) and expires, escalates and scales up by Alice’s clicks', async () => {
    const group: GroupFields = { alertname: 'High latency', model: 'sentiment', env: 'staging' };
    await notify(group, [{ fingerprint: 'h1' }]);
    const parentId = await parentIdOf(group);
    const id = idOf(group);

    // Bob (a viewer) is answered only in his invoke response; the thread says it; the audit has it.
    const publicRepliesBefore = callsIn('reply').length;
    const refused = await click(teamsBob, parentId, 'Acknowledge');
    expect(refused).toMatchObject({ statusCode: 200, value: expect.stringMatching(/^You are not allowed to ack alerts: ask an opsbot admin/) });
    expect(callsIn('reply').slice(publicRepliesBefore).map((c) => c.body.summary)).toEqual(['Bob Brown tried to ack this alert but is not allowed (needs a role with the `alerts` permission).']);
    const [denied] = await bot.store.audit.query({ limit: 1 });
    expect(denied).toMatchObject({ outcome: 'denied', userId: teamsBob.aadObjectId, text: `alert ack ${id}` });

    // Acknowledge: the parent says who.
    expect((await click(teamsAlice, parentId, 'Acknowledge')).value).toBe('You acknowledged High latency.');
    expect(cardText(parentNow(parentId))).toMatch(/Acknowledged.*by Alice Adams at/);
    expect(titles(parentNow(parentId))).not.toContain('Acknowledge');
    expect(chain(parentId).at(-1)).toBe('Acknowledged by Alice Adams: repeat notifications are no longer posted here.');

    // Silence 1h without Alertmanager: an opsbot silence; a repeat then only edits the parent.
    expect((await click(teamsAlice, parentId, 'Silence 1h')).value).toBe('You silenced High latency for 1h.');
    expect(await bot.store.alertGroups.get(id)).toMatchObject({ silence: { kind: 'opsbot', displayName: 'Alice Adams' } });
    expect(cardText(parentNow(parentId))).toMatch(/Silenced.*by Alice Adams \(opsbot\)/);
    expect(titles(parentNow(parentId))).toContain('Expire silence');
    const replies = chain(parentId).length;
    expect(await notify(group, [{ fingerprint: 'h1' }])).toMatchObject({ change: 'repeat' });
    expect(chain(parentId)).toHaveLength(replies);
    expect((await click(teamsAlice, parentId, 'Expire silence')).value).toBe('You expired the silence on High latency.');
    expect(chain(parentId).at(-1)).toBe('Silence expired by Alice Adams.');
    expect((await bot.store.alertGroups.get(id))?.silence).toBeUndefined();
    expect(titles(parentNow(parentId))).toContain('Silence 1h');

    // Escalate: the Teams on-call, mentioned in the chain with the entity Teams notifies them by.
    expect((await click(teamsAlice, parentId, 'Escalate')).value).toBe('You escalated High latency to @ML on-call.');
    expect(chain(parentId).at(-1)).toBe('@ML on-call: Alice Adams escalated High latency to you.');
    const escalation = callsIn('reply').filter((c) => c.activityId === parentId).at(-1)!;
    expect(cardText(escalation)).toContain('<at>ML on-call</at>: Alice Adams escalated High latency to you.');
    expect(cardText(escalation)).not.toContain('subteam');
    expect(escalation.body.attachments?.[0]?.content?.msteams).toEqual({
      width: 'Full',
      entities: [{ type: 'mention', text: '<at>ML on-call</at>', mentioned: ONCALL_TEAMS }],
    });
    expect(cardText(parentNow(parentId))).toMatch(/Escalated.*by Alice Adams/);

    // Scale up: `scale sentiment in staging to 2` as Alice, on the deploy target; past staging's maximum, refused to her alone.
    await click(teamsAlice, parentId, 'Scale up');
    await eventually('the scale on the target', () => bot.target.calls.includes('scale sentiment/staging blue {"replicas":2}'), 30_000);
    expect((await bot.target.status({ model: 'sentiment', env: 'staging' })).colours.blue.desiredReplicas).toBe(2);
    await eventually('the slot at 2 replicas', async () => {
      const slot = await bot.store.blueGreen.slot('sentiment', 'staging');
      const scaling = slot?.colours.blue?.scaling;
      return scaling && 'replicas' in scaling && scaling.replicas === 2;
    });
    expect((await click(teamsAlice, parentId, 'Scale up')).value).toMatch(/already runs 2 replicas, the most staging allows \(2\)/);
    expect(bot.target.calls.filter((c) => c.startsWith('scale '))).toHaveLength(1);
  });

  it('an acknowledgement racing the resolving notification ends in one parent state, matching the stored group', async () => {
    const group: GroupFields = { alertname: 'Queue backlog', model: 'sentiment', env: 'staging' };
    await notify(group, [{ fingerprint: 'q1' }]);
    const parentId = await parentIdOf(group);
    // A slow database answering the acknowledgement's write only after the resolve was handled: the race at its widest.
    const { alertGroups } = bot.store;
    const update = alertGroups.update.bind(alertGroups);
    let release = () => {};
    const resolvedHandled = new Promise<void>((resolve) => (release = resolve));
    alertGroups.update = async (id, revision, patch) => {
      const saved = await update(id, revision, patch);
      if (saved && patch.acknowledged) await resolvedHandled;
      return saved;
    };
    try {
      const ack = click(teamsAlice, parentId, 'Acknowledge');
      await eventually('the acknowledgement stored', async () => (await alertGroups.get(idOf(group)))?.acknowledged);
      expect((await notify(group, [{ fingerprint: 'q1', status: 'resolved' }])).change).toBe('resolved');
      release();
      expect((await ack).value).toBe('You acknowledged Queue backlog.');
    } finally {
      alertGroups.update = update;
    }
    expect(await alertGroups.get(idOf(group))).toMatchObject({ status: 'resolved', acknowledged: { displayName: 'Alice Adams' } });
    const shown = parentNow(parentId);
    expect(shown.body.summary).toBe('Resolved: Queue backlog — sentiment in staging (0 firing, 1 resolved)');
    expect(cardText(shown)).toMatch(/Acknowledged.*by Alice Adams/);
    expect(titles(shown)).toEqual([]);
  });
});
