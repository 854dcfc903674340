import { eventually } from '../../../helpers/eventually.js';
import { TEAMS_APP_ID, TEAMS_TENANT, conversationIdFor, teamsAlice, teamsMessage } from '../../../helpers/teams-activities.js';
import type { ConnectorCall } from '../../../helpers/teams-connector-fake.js';
import { startTeamsHarness, type TeamsHarness } from '../../../helpers/teams-harness.js';

function cardOf(call: ConnectorCall) {
  const [attachment] = call.body.attachments ?? [];
  expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return attachment?.content as { body: unknown[]; version: string };
}

const cardText = (call: ConnectorCall) => JSON.stringify(cardOf(call).body);

describe('Teams bot: messages in, Adaptive Cards out (real CloudAdapter, JWT auth on)', () => {
  let bot: TeamsHarness;

  beforeEach(async () => {
    bot = await startTeamsHarness();
  });

  afterEach(async () => {
    await bot.close();
  });

  it('answers a 1:1 message at the activity’s serviceUrl, with a token from the configured login endpoint', async () => {
    const activity = teamsMessage('help', { serviceUrl: bot.connector.serviceUrl });
    const response = await bot.send(activity);
    expect(response.status).toBe(200);

    const [reply] = await eventually('the reply', () => bot.connector.calls.length > 0 && bot.connector.calls);
    expect(reply).toMatchObject({ kind: 'reply', conversationId: conversationIdFor('personal'), activityId: activity.id });
    expect(reply?.body).toMatchObject({ type: 'message', replyToId: activity.id, conversation: { id: conversationIdFor('personal') } });
    expect(cardText(reply as ConnectorCall)).toContain('Here is what I can do');
    expect(reply?.authorization).toBe(`Bearer ${bot.connector.accessToken}`);
    expect(bot.connector.tokenRequests[0]).toEqual({
      tenant: 'botframework.com',
      form: { grant_type: 'client_credentials', client_id: TEAMS_APP_ID, client_secret: 'test-secret', scope: 'https://api.botframework.com/.default' },
    });
    expect(bot.handled[0]).toEqual({
      identity: { platform: 'teams', workspace: TEAMS_TENANT, userId: teamsAlice.aadObjectId, displayName: teamsAlice.name },
      conversation: { platform: 'teams', workspace: TEAMS_TENANT, channelId: conversationIdFor('personal'), threadId: activity.id },
      text: 'help',
    });
  });

  it('strips its @mention in a channel and answers in the thread', async () => {
    const activity = teamsMessage('status', { serviceUrl: bot.connector.serviceUrl, scope: 'channel', mention: true });
    expect((await bot.send(activity)).status).toBe(200);

    const [reply] = await eventually('the reply', () => bot.connector.calls.length > 0 && bot.connector.calls);
    // The thread's root is in the conversation id; the reply also answers the message itself.
    expect(reply).toMatchObject({ kind: 'reply', conversationId: conversationIdFor('channel'), activityId: activity.id });
    expect(cardText(reply as ConnectorCall)).toContain('No jobs yet');
    expect(bot.handled.map((command) => command.text)).toEqual(['status']);
    const [audit] = await bot.store.audit.query({ limit: 1 });
    expect(audit).toMatchObject({ platform: 'teams', userId: 'aad-alice', text: 'status', channelId: conversationIdFor('channel'), outcome: 'completed' });
  });

  it('answers an @mention in a group chat', async () => {
    const activity = teamsMessage('help deploy', { serviceUrl: bot.connector.serviceUrl, scope: 'groupChat', mention: true });
    expect((await bot.send(activity)).status).toBe(200);
    const [reply] = await eventually('the reply', () => bot.connector.calls.length > 0 && bot.connector.calls);
    expect(reply?.conversationId).toBe(conversationIdFor('groupChat'));
    expect(cardText(reply as ConnectorCall)).toContain('deploy: roll a version out to the idle colour');
    expect(bot.handled.map((command) => command.text)).toEqual(['help deploy']);
  });

  it('posts a job’s card once and updates it in place (PUT) as the job runs', async () => {
    await bot.seedVersion('sentiment');
    const activity = teamsMessage('deploy sentiment v1 to staging', { serviceUrl: bot.connector.serviceUrl });
    expect((await bot.send(activity)).status).toBe(200);

    const updates = await eventually('the completed card', () => {
      const puts = bot.connector.calls.filter((call) => call.kind === 'update');
      return puts.some((call) => cardText(call).includes('is live in staging')) && puts;
    });
    const posted = bot.connector.calls.filter((call) => call.kind !== 'update');
    expect(posted).toHaveLength(1);
    expect(cardText(posted[0] as ConnectorCall)).toMatch(/Job j-[0-9a-z]+: deploy sentiment v1 to staging — queued/);
    for (const update of updates) {
      expect(update).toMatchObject({ method: 'PUT', conversationId: conversationIdFor('personal'), activityId: posted[0]?.id });
      expect(update.body.id).toBe(posted[0]?.id);
      expect(update.authorization).toBe(`Bearer ${bot.connector.accessToken}`);
    }
    const job = (await bot.store.jobs.list({ limit: 1 }))[0];
    expect(job).toMatchObject({ status: 'completed' });
    expect(JSON.parse(job?.replyRef ?? '{}')).toEqual({ id: posted[0]?.id, serviceUrl: bot.connector.serviceUrl });
    // One token serves every call until it nears expiry.
    expect(bot.connector.tokenRequests).toHaveLength(1);
  });

  it('ignores conversation updates and messages with nothing to run', async () => {
    const update = { ...teamsMessage('', { serviceUrl: bot.connector.serviceUrl }), type: 'conversationUpdate', text: undefined, membersAdded: [{ id: `28:${TEAMS_APP_ID}` }] };
    expect((await bot.send(update)).status).toBe(200);
    expect((await bot.send(teamsMessage('   ', { serviceUrl: bot.connector.serviceUrl, scope: 'channel', mention: true }))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bot.handled).toEqual([]);
    expect(bot.connector.calls).toEqual([]);
  });

  it('runs a redelivered activity once', async () => {
    const activity = teamsMessage('status', { serviceUrl: bot.connector.serviceUrl });
    expect((await bot.send(activity)).status).toBe(200);
    expect((await bot.send(activity)).status).toBe(200);
    await eventually('the reply', () => bot.connector.calls.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bot.handled).toHaveLength(1);
  });
});

describe('Teams bot in emulator mode (no app id)', () => {
  let bot: TeamsHarness;

  beforeEach(async () => {
    bot = await startTeamsHarness({ emulator: true });
  });

  afterEach(async () => {
    await bot.close();
  });

  it('answers without tokens either way', async () => {
    const activity = teamsMessage('help', { serviceUrl: bot.connector.serviceUrl, channelId: 'emulator', appId: 'opsbot' });
    expect((await bot.send(activity, null)).status).toBe(200);
    const [reply] = await eventually('the reply', () => bot.connector.calls.length > 0 && bot.connector.calls);
    expect(reply?.authorization).toBeUndefined();
    expect(bot.connector.tokenRequests).toEqual([]);
  });
});
