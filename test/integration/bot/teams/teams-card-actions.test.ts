import { eventually } from '../../../helpers/eventually.js';
import { conversationIdFor, teamsAlice, teamsBob, teamsCardExecute, teamsCardSubmit, teamsMessage } from '../../../helpers/teams-activities.js';
import type { ConnectorCall } from '../../../helpers/teams-connector-fake.js';
import { startTeamsHarness, type TeamsHarness } from '../../../helpers/teams-harness.js';

interface CardButton {
  type: string;
  title: string;
  data?: { command?: string };
}

/** The buttons on a card the bot posted. */
function buttonsOf(call: ConnectorCall): CardButton[] {
  const body = (call.body.attachments?.[0]?.content?.body ?? []) as Array<{ type: string; actions?: CardButton[] }>;
  return body.filter((element) => element.type === 'ActionSet').flatMap((element) => element.actions ?? []);
}

const cardText = (call: ConnectorCall) => JSON.stringify(call.body.attachments?.[0]?.content?.body ?? []);

describe('Teams card clicks run as the person who clicked', () => {
  let bot: TeamsHarness;

  beforeEach(async () => {
    bot = await startTeamsHarness();
  });

  afterEach(async () => {
    await bot.close();
  });

  async function replyContaining(text: string): Promise<ConnectorCall> {
    return eventually(`a card with “${text}”`, () => bot.connector.calls.find((call) => cardText(call).includes(text)));
  }

  it('confirms a delete only from the requester’s click (sent as an older card’s Action.Submit, still accepted)', async () => {
    await bot.seedVersion('sentiment');
    const serviceUrl = bot.connector.serviceUrl;
    const asked = teamsMessage('delete sentiment v1', { serviceUrl, scope: 'channel', mention: true });
    await bot.send(asked);
    const question = await replyContaining('This will delete sentiment v1');
    const [yes] = buttonsOf(question);
    expect(yes).toMatchObject({ type: 'Action.Execute', verb: 'opsbot.command', title: 'Yes, delete', data: { command: expect.stringMatching(/^confirm [a-z0-9]{6}$/) } });

    // Bob clicks Alice's confirmation: refused, and recorded as Bob.
    await bot.send(teamsCardSubmit(yes?.data, { serviceUrl, scope: 'channel', from: teamsBob, cardActivityId: question.id }));
    const refusal = await replyContaining('was made by someone else');
    // In the question's thread: answering the message that asked, as the question does.
    expect(refusal).toMatchObject({ kind: 'reply', conversationId: conversationIdFor('channel'), activityId: asked.id });
    const [denied] = await bot.store.audit.query({ limit: 1 });
    expect(denied).toMatchObject({ outcome: 'denied', userId: teamsBob.aadObjectId, userName: teamsBob.name, text: yes?.data?.command });

    // Alice clicks it: the delete runs, requested by Alice.
    await bot.send(teamsCardSubmit(yes?.data, { serviceUrl, scope: 'channel', from: teamsAlice, cardActivityId: question.id }));
    await eventually('the delete', async () => (await bot.store.registry.getVersion('sentiment', 1)) === undefined);
    const accepted = await bot.store.audit.query({ action: 'delete', limit: 5 });
    expect(accepted.find((record) => record.outcome === 'accepted')).toMatchObject({ userId: teamsAlice.aadObjectId });
  });

  it('runs an adaptiveCard/action invoke as the clicker and answers the invoke with a message', async () => {
    const serviceUrl = bot.connector.serviceUrl;
    const response = await bot.send(teamsCardExecute({ command: 'status' }, { serviceUrl, from: teamsBob, cardActivityId: 'card-1' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'No jobs yet. Start one with e.g. `train sentiment --dataset data/sentiment.csv`.' });
    const [record] = await bot.store.audit.query({ limit: 1 });
    expect(record).toMatchObject({ userId: teamsBob.aadObjectId, text: 'status', outcome: 'completed' });
    // The full reply is posted in the conversation, answering the card.
    const reply = await replyContaining('No jobs yet');
    expect(reply).toMatchObject({ kind: 'reply', activityId: 'card-1' });
  });

  it('runs the chosen option of a select card', async () => {
    const serviceUrl = bot.connector.serviceUrl;
    await bot.send(teamsCardSubmit({ choice: 'opsbot-choice-1', 'opsbot-choice-1': 'help scale' }, { serviceUrl, from: teamsBob }));
    await replyContaining('scale: set the replicas');
    expect(bot.handled.map((command) => [command.identity.userId, command.text])).toEqual([[teamsBob.aadObjectId, 'help scale']]);
  });

  it('refuses card data that is not from an opsbot card', async () => {
    const serviceUrl = bot.connector.serviceUrl;
    const invoke = await bot.send(teamsCardExecute({ verb: 'approve', amount: 10 }, { serviceUrl }));
    expect(invoke.status).toBe(200);
    expect(await invoke.json()).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
    expect((await bot.send(teamsCardSubmit({ command: { nested: true } }, { serviceUrl }))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bot.handled).toEqual([]);
    expect(bot.connector.calls).toEqual([]);
  });
});
