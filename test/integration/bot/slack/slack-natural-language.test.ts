import { naturalLanguageInterpreter } from '../../../../app/command-interpreter.js';
import { eventually } from '../../../helpers/eventually.js';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from '../../../helpers/slack-harness.js';
import { appMentionEvent, blockActionsRequest, eventCallbackRequest, sendToSlackRoute } from '../../../helpers/slack-request.js';

const signing = { secret: SIGNING_SECRET };
const CHANNEL = 'C0OPS';
type Blocks = Array<{ type: string; elements?: Array<Record<string, unknown>> }>;

/**
 * People's words through the real Bolt app: a question back with buttons when a piece is
 * missing, a typed answer in the thread (no mention needed there), the exact command shown
 * back before a destructive action runs, and each answer used once.
 */
describe('Slack: natural language, clarification and confirm-before-act', () => {
  let slack: SlackHarness;

  beforeEach(async () => {
    slack = await startSlackHarness({ interpreter: (config) => naturalLanguageInterpreter(config) });
    slack.api.addUser({ id: 'U0DANA', name: 'dana', realName: 'Dana', displayName: 'dana' });
    await slack.store.registry.registerVersion({ model: 'sentiment', createdBy: 'slack:T0001:U0DANA', jobId: 'j-seed0001', dataset: 'x.csv', datasetHash: 'h', metrics: {}, params: {}, artifactPath: 'models/sentiment/v1/model.json' });
  });
  afterEach(() => slack?.close());

  let eventNumber = 0;
  const mention = (text: string, ts: string) =>
    sendToSlackRoute(slack.eventsUrl, eventCallbackRequest(appMentionEvent({ userId: 'U0DANA', text: `<@UBOT0001> ${text}`, ts, channel: CHANNEL }), { eventId: `EvNL${++eventNumber}` }, signing));
  const threadReply = (text: string, ts: string, threadTs: string) =>
    sendToSlackRoute(
      slack.eventsUrl,
      eventCallbackRequest({ type: 'message', channel_type: 'channel', user: 'U0DANA', text, ts, thread_ts: threadTs, team: 'T0001', channel: CHANNEL, event_ts: ts }, { eventId: `EvNL${++eventNumber}` }, signing),
    );
  const click = (message: { ts: string; threadTs?: string; text: string; blocks?: unknown[] }, value: string) => {
    const button = (message.blocks as Blocks).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : [])).find((e) => e.value === value || (e.text as { text: string }).text === value);
    if (!button) throw new Error(`no button ${value} in ${JSON.stringify(message.blocks)}`);
    return sendToSlackRoute(slack.eventsUrl, blockActionsRequest({ userId: 'U0DANA', channelId: CHANNEL, message: { ts: message.ts, thread_ts: message.threadTs, text: message.text, blocks: message.blocks }, action: { ...button } }, signing));
  };
  const posted = (pattern: RegExp) => eventually(`a message matching ${pattern}`, () => [...slack.api.messages.values()].find((m) => pattern.test(m.text)));

  it('asks which environment, takes a typed answer in the thread, shows the command back, and runs it once on Confirm', async () => {
    // Something to scale: staging serves sentiment v1.
    await slack.deployer.deploy(
      { jobId: 'j-seeddep1', model: 'sentiment', env: 'staging', version: 1, requestedBy: { platform: 'slack', workspace: 'T0001', userId: 'U0DANA', displayName: 'dana' }, conversation: { platform: 'slack', workspace: 'T0001', channelId: CHANNEL }, smokeTexts: [] },
      () => undefined,
    );
    await slack.store.deployments.record({ model: 'sentiment', env: 'staging', version: 1, replicas: 1, change: 'deploy', jobId: 'j-seeddep1', by: 'slack:T0001:U0DANA' });

    await mention('please scale sentiment to four replicas', '1700000100.000100');
    const question = await posted(/Which environment should I scale in/);
    expect(question.threadTs).toBe('1700000100.000100');
    expect(JSON.stringify(question.blocks)).toMatch(/"text":"staging"/);
    expect(await slack.store.jobs.list()).toEqual([]);

    // A typed answer in the thread, no mention: it completes the half-built action.
    await threadReply('staging', '1700000100.000200', '1700000100.000100');
    const confirmMessage = await posted(/I understood your words as `scale sentiment in staging to 4`/);
    // As it was posted (the fake edits its messages in place when opsbot updates them).
    const confirm = { ...confirmMessage, blocks: structuredClone(confirmMessage.blocks) };
    const questionAsPosted = { ...question, blocks: structuredClone(question.blocks) };
    expect(confirm.text).toMatch(/This will scale sentiment in staging to 4 replicas/);
    expect(await slack.store.jobs.list()).toEqual([]);

    await click(confirm, `Yes, scale`);
    await eventually('the scale job', async () => (await slack.store.jobs.list()).find((j) => j.kind === 'scale' && j.status === 'completed'));
    // A second click runs nothing more.
    await click(confirm, `Yes, scale`);
    await posted(/There is no pending request/);
    expect((await slack.store.jobs.list()).filter((j) => j.kind === 'scale')).toHaveLength(1);
    // The question's buttons are spent too: a late click on one says so.
    await click(questionAsPosted, 'prod');
    await posted(/already answered or has expired/);
    expect((await slack.store.jobs.list()).filter((j) => j.kind === 'scale')).toHaveLength(1);
  }, 30_000);

  it('answers chatter with a pointer to help and runs nothing', async () => {
    await mention('the deploy meeting is at 3', '1700000200.000100');
    const reply = await posted(/Type `help` to see them/);
    expect(reply.threadTs).toBe('1700000200.000100');
    expect(await slack.store.jobs.list()).toEqual([]);
    const [record] = await slack.store.audit.query({ limit: 1 });
    expect(record).toMatchObject({ outcome: 'invalid', detail: 'not a request opsbot handles' });
  });

  it('ignores channel messages outside its own threads', async () => {
    await threadReply('staging', '1700000300.000200', '1700000299.000100');
    await slack.adapter.settled();
    expect(slack.handled).toEqual([]);
  });
});

describe('Slack: typed approvals are refused privately too', () => {
  let slack: SlackHarness;
  afterEach(() => slack?.close());

  it('answers a refused typed `approve` with an ephemeral message, not in the channel', async () => {
    slack = await startSlackHarness();
    const response = await sendToSlackRoute(
      slack.eventsUrl,
      eventCallbackRequest(appMentionEvent({ userId: 'U0DANA', text: '<@UBOT0001> approve d-4f9k2a7q', ts: '1700000400.000100', channel: CHANNEL }), { eventId: 'EvAPPROVE1' }, signing),
    );
    expect(response.status).toBe(200);
    const [ephemeral] = await eventually('the ephemeral answer', () => slack.api.callsTo('chat.postEphemeral').length > 0 && slack.api.callsTo('chat.postEphemeral'));
    expect(ephemeral?.args).toMatchObject({ channel: CHANNEL, user: 'U0DANA', thread_ts: '1700000400.000100' });
    expect(String(ephemeral?.args.text)).toMatch(/There is no deployment d-4f9k2a7q/);
    await slack.adapter.settled();
    expect(slack.api.callsTo('chat.postMessage')).toHaveLength(0);
  });
});
