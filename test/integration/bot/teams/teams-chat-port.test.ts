import { textMessage, type ConversationRef } from '../../../../core/index.js';
import { eventually } from '../../../helpers/eventually.js';
import { TEAMS_TENANT, conversationIdFor, teamsMessage } from '../../../helpers/teams-activities.js';
import { startTeamsHarness, type TeamsHarness } from '../../../helpers/teams-harness.js';

describe('Teams ChatPort outside a turn', () => {
  let bot: TeamsHarness;

  beforeEach(async () => {
    bot = await startTeamsHarness();
  });

  afterEach(async () => {
    await bot.close();
  });

  const channel: ConversationRef = { platform: 'teams', workspace: TEAMS_TENANT, channelId: conversationIdFor('channel') };

  it('posts to a conversation it has seen and edits that message in place', async () => {
    await bot.send(teamsMessage('status', { serviceUrl: bot.connector.serviceUrl, scope: 'channel', mention: true }));
    await eventually('the reply', () => bot.connector.calls.length === 1);

    const ref = await bot.adapter.chat.post(channel, textMessage('Nightly retrain started'));
    await bot.adapter.chat.update(channel, ref, textMessage('Nightly retrain finished', 'success'));
    const [, sent, updated] = bot.connector.calls;
    // No thread given: a new post in the conversation, not a reply.
    expect(sent).toMatchObject({ kind: 'send', conversationId: conversationIdFor('channel') });
    expect(updated).toMatchObject({ kind: 'update', activityId: sent?.id, authorization: `Bearer ${bot.connector.accessToken}` });
    expect(JSON.stringify(updated?.body.attachments)).toContain('Nightly retrain finished');
  });

  it('refuses to post where it has never been spoken to, saying why', async () => {
    await expect(bot.adapter.chat.post(channel, textMessage('hello'))).rejects.toThrow(/no Teams conversation reference for 19:general0123/);
    expect(bot.connector.calls).toEqual([]);
  });

  it('with teams.serviceUrl, posts where it has not been spoken to since it started (an alert thread after a restart)', async () => {
    await bot.close();
    bot = await startTeamsHarness({ serviceUrl: true });
    const ref = await bot.adapter.chat.post(channel, textMessage('Firing: HighLatency — sentiment in prod'));
    expect(bot.connector.calls).toMatchObject([{ kind: 'send', conversationId: conversationIdFor('channel'), authorization: `Bearer ${bot.connector.accessToken}` }]);
    await bot.adapter.chat.post({ ...channel, threadId: bot.connector.calls[0]!.id }, textMessage('Details: 1 alert'));
    expect(bot.connector.calls[1]).toMatchObject({ kind: 'reply', activityId: bot.connector.calls[0]!.id });
    expect(JSON.parse(ref)).toEqual({ id: bot.connector.calls[0]!.id, serviceUrl: bot.connector.serviceUrl });
  });

  it('still edits a message after a restart forgot the conversation (the ref carries its serviceUrl)', async () => {
    const ref = JSON.stringify({ id: 'act-from-before', serviceUrl: bot.connector.serviceUrl });
    await bot.adapter.chat.update(channel, ref, textMessage('Job j-1 — completed', 'success'));
    expect(bot.connector.calls).toMatchObject([{ kind: 'update', conversationId: conversationIdFor('channel'), activityId: 'act-from-before' }]);
  });

  it('rejects a message ref it did not make', async () => {
    await expect(bot.adapter.chat.update(channel, 'slack-ts-123.456', textMessage('x'))).rejects.toThrow(/not a Teams message reference/);
  });
});
