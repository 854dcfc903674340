import { eventually } from '../../../helpers/eventually.js';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from '../../../helpers/slack-harness.js';
import {
  appMentionEvent,
  blockActionsRequest,
  directMessageEvent,
  eventCallbackRequest,
  sendToSlackRoute,
  slashCommandRequest,
} from '../../../helpers/slack-request.js';

const signing = { secret: SIGNING_SECRET };
const textOf = (blocks: unknown[] | undefined) => JSON.stringify(blocks ?? []);

describe('Slack adapter: commands over signed HTTP requests', () => {
  let slack: SlackHarness;

  afterEach(async () => {
    await slack?.close();
  });

  it('acknowledges a slash command while the dispatcher is still busy with it, then replies', async () => {
    let release = () => {};
    slack = await startSlackHarness({ holdCommandsUntil: new Promise<void>((resolve) => (release = resolve)) });
    slack.api.addUser({ id: 'U0ALICE', name: 'alice', realName: 'Alice Liddell', displayName: 'alice' });
    const response = await sendToSlackRoute(slack.eventsUrl, slashCommandRequest({ text: 'help', userId: 'U0ALICE', channelId: 'C0OPS' }, signing));
    // The ack came back although the command is held: it waited on nothing the command does.
    expect(response.status).toBe(200);
    expect(slack.api.callsTo('chat.postMessage')).toHaveLength(0);
    release();
    const [post] = await eventually('the reply', () => slack.api.callsTo('chat.postMessage').length > 0 && slack.api.callsTo('chat.postMessage'), 10_000);
    expect(post?.args).toMatchObject({ channel: 'C0OPS' });
    expect(post?.args.thread_ts).toBeUndefined();
    expect(String(post?.args.text)).toMatch(/\S/);
    expect(slack.handled[0]).toEqual({
      identity: { platform: 'slack', workspace: 'T0001', userId: 'U0ALICE', displayName: 'alice' },
      conversation: { platform: 'slack', workspace: 'T0001', channelId: 'C0OPS' },
      text: 'help',
      // A refusal meant for Alice alone is an ephemeral message.
      respondPrivately: expect.any(Function),
    });
  }, 20_000);

  it('answers an app_mention in its thread, with the mention stripped', async () => {
    slack = await startSlackHarness();
    const event = appMentionEvent({ userId: 'U0BOB', text: '<@UBOT0001> status', ts: '1700000000.000100', channel: 'C0OPS' });
    const response = await sendToSlackRoute(slack.eventsUrl, eventCallbackRequest(event, { eventId: 'Ev0001' }, signing));
    expect(response.status).toBe(200);
    await eventually('the reply', () => slack.api.callsTo('chat.postMessage').length > 0);
    const [post] = slack.api.callsTo('chat.postMessage');
    expect(post?.args).toMatchObject({ channel: 'C0OPS', thread_ts: '1700000000.000100' });
    expect(textOf(post?.args.blocks as unknown[]) + String(post?.args.text)).toMatch(/No jobs yet/);
    // users.info has no U0BOB: the id stands in for the name.
    expect(slack.handled[0]).toMatchObject({ text: 'status', identity: { userId: 'U0BOB', displayName: 'U0BOB' } });
  });

  it('answers a direct message, and ignores bot messages and edits', async () => {
    slack = await startSlackHarness();
    slack.api.addUser({ id: 'U0CAROL', name: 'carol', realName: 'Carol Danvers' });
    const send = (eventId: string, event: Record<string, unknown>) => sendToSlackRoute(slack.eventsUrl, eventCallbackRequest(event, { eventId }, signing));
    expect((await send('Ev1', directMessageEvent({ userId: 'U0CAROL', text: 'hello from a bot', ts: '1.000001', botId: 'B0OTHER' }))).status).toBe(200);
    expect((await send('Ev2', directMessageEvent({ userId: 'U0CAROL', text: 'help', ts: '1.000002', subtype: 'message_changed' }))).status).toBe(200);
    expect((await send('Ev3', directMessageEvent({ userId: 'U0CAROL', text: 'help', ts: '1.000003' }))).status).toBe(200);
    await eventually('the reply', () => slack.api.callsTo('chat.postMessage').length > 0);
    await slack.adapter.settled();
    expect(slack.handled).toHaveLength(1);
    expect(slack.handled[0]).toMatchObject({ text: 'help', identity: { displayName: 'Carol Danvers' }, conversation: { channelId: 'D0001', threadId: '1.000003' } });
  });

  it('runs a retried event (same event_id, X-Slack-Retry-Num) once, and still answers the retry 200', async () => {
    slack = await startSlackHarness();
    const event = appMentionEvent({ userId: 'U0BOB', text: '<@UBOT0001> help', ts: '1700000001.000100' });
    const first = await sendToSlackRoute(slack.eventsUrl, eventCallbackRequest(event, { eventId: 'EvRETRY' }, signing));
    const retry = await sendToSlackRoute(slack.eventsUrl, eventCallbackRequest(event, { eventId: 'EvRETRY' }, { ...signing, retryNum: 1 }));
    const retry2 = await sendToSlackRoute(slack.eventsUrl, eventCallbackRequest(event, { eventId: 'EvRETRY' }, { ...signing, retryNum: 2, retryReason: 'http_error' }));
    expect([first.status, retry.status, retry2.status]).toEqual([200, 200, 200]);
    await eventually('the reply', () => slack.api.callsTo('chat.postMessage').length > 0);
    await slack.adapter.settled();
    expect(slack.handled).toHaveLength(1);
    expect(slack.api.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('confirms a prod deploy from a button, as the person who clicked it', async () => {
    slack = await startSlackHarness();
    slack.api.addUser({ id: 'U0DANA', name: 'dana', displayName: 'Dana' });
    await slack.store.registry.registerVersion({
      model: 'sentiment',
      createdBy: 'slack:T0001:U0DANA',
      jobId: 'j-seed',
      dataset: 'sentiment.csv',
      datasetHash: 'abc',
      metrics: { val_accuracy: 0.93 },
      params: {},
      artifactPath: 'models/sentiment/v1',
    });
    const mention = appMentionEvent({ userId: 'U0DANA', text: '<@UBOT0001> delete sentiment v1', ts: '1700000002.000100' });
    await sendToSlackRoute(slack.eventsUrl, eventCallbackRequest(mention, { eventId: 'EvDEPLOY' }, signing));
    const question = await eventually('the confirmation question', () =>
      [...slack.api.messages.values()].find((m) => /removes sentiment v1 and its files for good/.test(m.text)),
    );
    const actions = (question.blocks as Array<{ type: string; elements?: Array<Record<string, unknown>> }>).find((b) => b.type === 'actions');
    const yes = actions?.elements?.find((e) => String(e.value).startsWith('confirm '));
    expect(yes).toMatchObject({ type: 'button', style: 'danger' });

    // Someone else clicking is refused by the dispatcher: the request is Dana's.
    const byEve = blockActionsRequest(
      { userId: 'U0EVE', channelId: question.channel, message: { ts: question.ts, thread_ts: question.threadTs, text: question.text, blocks: question.blocks }, action: { ...yes } },
      signing,
    );
    const eveResponse = await sendToSlackRoute(slack.eventsUrl, byEve);
    expect(eveResponse.status).toBe(200);
    await eventually('Eve is refused', () => [...slack.api.messages.values()].find((m) => /made by someone else/.test(m.text)));

    const byDana = blockActionsRequest(
      { userId: 'U0DANA', channelId: question.channel, message: { ts: question.ts, thread_ts: question.threadTs, text: question.text, blocks: question.blocks }, action: { ...yes } },
      signing,
    );
    const response = await sendToSlackRoute(slack.eventsUrl, byDana);
    expect(response.status).toBe(200);
    const done = await eventually('the delete to finish', () => [...slack.api.messages.values()].find((m) => /Deleted sentiment v1|sentiment v1 is deleted/.test(m.text)), 15_000);
    expect(done.threadTs).toBe('1700000002.000100');
    // The job's one message went queued → running → completed by chat.update, never faster than once a second.
    expect(done.history.map((h) => /— (queued|running|completed)/.exec(h.text)?.[1])).toEqual(expect.arrayContaining(['queued', 'completed']));
    const writes = slack.api.calls.filter((c) => (c.method === 'chat.update' && c.args.ts === done.ts) || (c.method === 'chat.postMessage' && c.outcome === 'ok' && /Job j-/.test(String(c.args.text))));
    expect(writes.length).toBeGreaterThanOrEqual(2);
    const gaps = writes.slice(1).map((w, i) => w.at - (writes[i]?.at ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(950);
    const clicks = slack.handled.filter((c) => /^confirm [a-z0-9]{6}$/.test(c.text));
    expect(clicks.map((c) => c.identity.userId)).toEqual(['U0EVE', 'U0DANA']);
    expect(clicks[1]?.conversation).toEqual({ platform: 'slack', workspace: 'T0001', channelId: 'C0001', threadId: '1700000002.000100' });
    const audit = await slack.store.audit.query({ limit: 50 });
    expect(audit.find((r) => r.outcome === 'denied')).toMatchObject({ userId: 'U0EVE', platform: 'slack', workspace: 'T0001' });
    expect(audit.find((r) => r.outcome === 'accepted' && r.action === 'delete')).toMatchObject({ userId: 'U0DANA', userName: 'Dana' });
    // The answered question lost its buttons and says who answered.
    await eventually('buttons retired', () => !textOf(slack.api.messages.get(`${question.channel}:${question.ts}`)?.blocks).includes('"actions"'));
    expect(textOf(slack.api.messages.get(`${question.channel}:${question.ts}`)?.blocks)).toMatch(/Confirmed by Dana/);
  }, 30_000);

  it('answers a click on a button opsbot did not send with an ephemeral "no longer valid", audited, and runs nothing', async () => {
    slack = await startSlackHarness();
    const stale = blockActionsRequest(
      { userId: 'U0FRED', userName: 'fred', channelId: 'C0OPS', message: { ts: '1700000003.000100', text: 'an old message' }, action: { action_id: 'rollback_sentiment', type: 'button', value: 'rollback sentiment in prod' } },
      signing,
    );
    expect((await sendToSlackRoute(slack.eventsUrl, stale)).status).toBe(200);
    const [answer] = await eventually('the ephemeral answer', () => slack.api.callsTo('chat.postEphemeral').length > 0 && slack.api.callsTo('chat.postEphemeral'));
    expect(answer?.args).toMatchObject({ channel: 'C0OPS', user: 'U0FRED', thread_ts: '1700000003.000100' });
    expect(String(answer?.args.text)).toMatch(/no longer valid/);
    const [record] = await eventually('the audit record', async () => {
      const records = await slack.store.audit.query({});
      return records.length > 0 && records;
    });
    expect(record).toMatchObject({ platform: 'slack', userId: 'U0FRED', channelId: 'C0OPS', outcome: 'invalid', text: '[button rollback_sentiment]' });
    expect(slack.handled).toHaveLength(0);
    expect(slack.api.callsTo('chat.postMessage')).toHaveLength(0);
  });
});
