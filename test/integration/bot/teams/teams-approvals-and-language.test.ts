import { naturalLanguageInterpreter } from '../../../../app/command-interpreter.js';
import { eventually } from '../../../helpers/eventually.js';
import { TEAMS_TENANT, conversationIdFor, teamsAlice, teamsBob, teamsCardExecute, teamsCardSubmit, teamsMessage, type TeamsUser } from '../../../helpers/teams-activities.js';
import type { ConnectorCall } from '../../../helpers/teams-connector-fake.js';
import { startTeamsHarness, type TeamsHarness } from '../../../helpers/teams-harness.js';

const teamsCarol: TeamsUser = { id: '29:1carol-teams-id', name: 'Carol Chen', aadObjectId: 'aad-carol' };
const teamsKey = (user: TeamsUser) => `teams:${TEAMS_TENANT}:${user.aadObjectId}`;

interface CardAction {
  type: string;
  title: string;
  data?: { command?: string };
}

/** The actions of every ActionSet on a card the bot posted or updated. */
function actionsOf(call: ConnectorCall): CardAction[] {
  const body = (call.body.attachments?.[0]?.content?.body ?? []) as Array<{ type: string; actions?: CardAction[] }>;
  return body.filter((element) => element.type === 'ActionSet').flatMap((element) => element.actions ?? []);
}

function action(call: ConnectorCall, title: string): CardAction {
  const found = actionsOf(call).find((a) => a.title === title);
  if (!found) throw new Error(`no “${title}” action on ${JSON.stringify(call.body.attachments?.[0]?.content?.body)}`);
  return found;
}

const cardText = (call: ConnectorCall) => JSON.stringify(call.body.attachments?.[0]?.content?.body ?? []);

/** What an Action.Execute invoke was answered with (Teams shows it to the clicker alone). */
interface InvokeAnswer {
  statusCode: number;
  type: string;
  value: string;
}

/**
 * The approval card and people's words on Teams, through the real CloudAdapter: a prod
 * promotion needs two approvers other than the requester, whose own click is refused in the
 * invoke response only; a sentence becomes a question card, then a confirm card, then one job.
 */
describe('Teams: approval cards and natural language', () => {
  let bot: TeamsHarness;

  afterEach(async () => {
    await bot?.close();
  });

  const call = (text: string, from = 0) =>
    eventually(`a Teams message containing “${text}”`, () => bot.connector.calls.slice(from).find((c) => c.kind !== 'update' && cardText(c).includes(text)));
  const update = (activityId: string, text: string) =>
    eventually(`an update of ${activityId} containing “${text}”`, () => bot.connector.calls.find((c) => c.kind === 'update' && c.activityId === activityId && cardText(c).includes(text)));
  const execute = async (data: unknown, from: TeamsUser, card: ConnectorCall): Promise<InvokeAnswer> => {
    const response = await bot.send(teamsCardExecute(data, { serviceUrl: bot.connector.serviceUrl, scope: 'channel', from, cardActivityId: card.id }));
    expect(response.status).toBe(200);
    return (await response.json()) as InvokeAnswer;
  };

  it('renders the prod approval card, refuses the requester’s own Promote privately, and promotes on two other approvers’ clicks', async () => {
    bot = await startTeamsHarness({
      configure: (config) => {
        config.rbac = { ...config.rbac, users: { ...config.rbac.users, [teamsKey(teamsAlice)]: ['deployer'], [teamsKey(teamsBob)]: ['deployer'], [teamsKey(teamsCarol)]: ['deployer'] } };
      },
    });
    await bot.seedVersion('sentiment');
    const serviceUrl = bot.connector.serviceUrl;

    // Alice deploys to prod: it rolls out to the idle colour and waits for approvers.
    const asked = teamsMessage('deploy sentiment v1 to prod', { serviceUrl, scope: 'channel', mention: true });
    await bot.send(asked);

    const card = await call('Promotion of sentiment v1 to prod');
    expect(card).toMatchObject({ kind: 'reply', activityId: asked.id });
    expect(card.body.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(card)).toContain('0 of 2 approvals');
    expect(cardText(card)).toContain('Alice Adams');
    const promote = action(card, 'Promote');
    const reject = action(card, 'Reject');
    const [deployment] = await bot.store.blueGreen.list({ model: 'sentiment', env: 'prod' });
    expect(deployment?.phase).toBe('awaiting_approval');
    expect(promote.data).toEqual({ command: `approve ${deployment!.id}` });
    expect(reject.data).toEqual({ command: `reject ${deployment!.id}` });

    // The requester's own Promote: refused in the invoke answer, not in the conversation.
    const callsBefore = bot.connector.calls.length;
    const own = await execute(promote.data, teamsAlice, card);
    expect(own).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: expect.stringMatching(/^You cannot approve the promotion of sentiment v1 to prod: you asked for this deployment/),
    });
    const [denied] = await bot.store.audit.query({ limit: 1 });
    expect(denied).toMatchObject({ outcome: 'denied', userId: teamsAlice.aadObjectId, text: `approve ${deployment!.id}` });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bot.connector.calls.slice(callsBefore).filter((c) => cardText(c).includes('You cannot approve'))).toEqual([]);
    expect(bot.connector.calls.slice(callsBefore).filter((c) => c.kind !== 'update')).toEqual([]);
    expect((await bot.store.blueGreen.get(deployment!.id))?.votes).toEqual([]);

    // Bob approves: 1 of 2, the card is updated in place and still waits.
    const first = await execute(promote.data, teamsBob, card);
    expect(first.value).toMatch(/Bob Brown approved sentiment v1 to prod \(1 of 2 approvals\)/);
    await update(card.id, '1 of 2 approvals: Bob Brown');
    expect(bot.target.calls.filter((c) => c.startsWith('switchLive'))).toEqual([]);

    // Carol approves: promoted.
    const second = await execute(promote.data, teamsCarol, card);
    expect(second.value).toMatch(/^Promoted: sentiment v1 to prod now serves \(blue colour\), approved by Bob Brown and Carol Chen/);
    const promoted = await update(card.id, 'Promoted by Bob Brown and Carol Chen');
    expect(promoted).toMatchObject({ method: 'PUT', conversationId: conversationIdFor('channel') });
    expect(actionsOf(promoted)).toEqual([]);
    expect(bot.target.calls.filter((c) => c.startsWith('switchLive'))).toEqual(['switchLive sentiment/prod blue']);
    expect(bot.target.liveVersion({ model: 'sentiment', env: 'prod' })).toBe(1);
    // The last update is the promoted card: nothing put the buttons back.
    const lastUpdate = bot.connector.calls.filter((c) => c.kind === 'update' && c.activityId === card.id).at(-1)!;
    expect(actionsOf(lastUpdate)).toEqual([]);
    expect(cardText(lastUpdate)).toContain('Promoted by Bob Brown and Carol Chen');

    // A late click on the spent button is refused privately too.
    const late = await execute(promote.data, teamsBob, card);
    expect(late.value).toMatch(/is not waiting for approval: it was already promoted by Bob Brown and Carol Chen/);
  }, 30_000);

  /** A harness reading words, where staging serves sentiment v1 (something to scale). */
  async function startWithStagingServing(): Promise<string> {
    bot = await startTeamsHarness({ interpreter: (config) => naturalLanguageInterpreter(config) });
    await bot.seedVersion('sentiment');
    const alice = { platform: 'teams' as const, workspace: TEAMS_TENANT, userId: teamsAlice.aadObjectId, displayName: teamsAlice.name };
    await bot.deployer.deploy(
      { jobId: 'j-seeddep1', model: 'sentiment', env: 'staging', version: 1, requestedBy: alice, conversation: { platform: 'teams', workspace: TEAMS_TENANT, channelId: conversationIdFor('channel') }, smokeTexts: [] },
      () => undefined,
    );
    return bot.connector.serviceUrl;
  }

  it('asks which environment with buttons, shows the command back, and scales once on Yes', async () => {
    const serviceUrl = await startWithStagingServing();

    const said = teamsMessage('please scale sentiment to four replicas', { serviceUrl, scope: 'channel', mention: true });
    await bot.send(said);
    const question = await call('Which environment should I scale in');
    expect(question).toMatchObject({ kind: 'reply', activityId: said.id });
    expect(actionsOf(question).map((a) => a.title)).toEqual(['dev', 'staging', 'prod']);
    expect(await bot.store.jobs.list()).toEqual([]);

    // Clicking staging (sent as an Action.Submit, which older cards used and which is still accepted).
    const staging = action(question, 'staging');
    await bot.send(teamsCardSubmit(staging.data, { serviceUrl, scope: 'channel', from: teamsAlice, cardActivityId: question.id }));
    const confirm = await call('I understood your words as `scale sentiment in staging to 4`');
    expect(cardText(confirm)).toContain('This will scale sentiment in staging to 4 replicas');
    expect(await bot.store.jobs.list()).toEqual([]);

    const yes = action(confirm, 'Yes, scale');
    const answer = await execute(yes.data, teamsAlice, confirm);
    expect(answer.statusCode).toBe(200);
    await eventually('the scale job', async () => (await bot.store.jobs.list()).find((j) => j.kind === 'scale' && j.status === 'completed'));
    expect(bot.target.calls.filter((c) => c.startsWith('scale '))).toEqual(['scale sentiment/staging blue {"replicas":4}']);

    // A second click on Yes runs nothing more.
    const again = await execute(yes.data, teamsAlice, confirm);
    expect(again.value).toMatch(/There is no pending request/);
    // So is a late click on the question's buttons.
    const late = action(question, 'prod');
    await bot.send(teamsCardSubmit(late.data, { serviceUrl, scope: 'channel', from: teamsAlice, cardActivityId: question.id }));
    await call('already answered or has expired');
    expect((await bot.store.jobs.list()).filter((j) => j.kind === 'scale')).toHaveLength(1);
    expect(bot.target.calls.filter((c) => c.startsWith('scale '))).toHaveLength(1);
  }, 30_000);

  it('takes a typed answer to its question in the same conversation', async () => {
    const serviceUrl = await startWithStagingServing();
    const said = teamsMessage('please scale sentiment to four replicas', { serviceUrl, scope: 'channel', mention: true });
    await bot.send(said);
    await call('Which environment should I scale in');
    // A new message (its own activity id) in the same channel thread answers the question.
    await bot.send(teamsMessage('staging', { serviceUrl, scope: 'channel', mention: true }));
    const confirm = await call('I understood your words as `scale sentiment in staging to 4`');
    expect(cardText(confirm)).toContain('This will scale sentiment in staging to 4 replicas');
    expect(await bot.store.jobs.list()).toEqual([]);
  }, 30_000);
});
