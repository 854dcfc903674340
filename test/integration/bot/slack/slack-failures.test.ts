import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createSlackAdapter, type SlackAdapter } from '../../../../bot/slack/index.js';
import { defaultConfig, silentLogger, type DispatchResult, type IncomingCommand } from '../../../../core/index.js';
import { eventually } from '../../../helpers/eventually.js';
import { SlackApiFake } from '../../../helpers/slack-api-fake.js';
import { appMentionEvent, blockActionsRequest, eventCallbackRequest, sendToSlackRoute, slashCommandRequest } from '../../../helpers/slack-request.js';

const secret = 'failures-signing-secret';
const signing = { secret };

describe('Slack adapter: failures stay inside opsbot', () => {
  let api: SlackApiFake;
  let adapter: SlackAdapter;
  let server: Server;
  let url: string;
  let handle: (command: IncomingCommand) => Promise<DispatchResult>;
  const handled: IncomingCommand[] = [];

  beforeEach(async () => {
    handled.length = 0;
    api = await SlackApiFake.start();
    adapter = createSlackAdapter(
      {
        config: { ...defaultConfig(), slack: { signingSecret: secret, botToken: api.token, apiUrl: api.url } },
        log: silentLogger,
        handle: (command) => {
          handled.push(command);
          return handle(command);
        },
      },
      { retryConfig: { retries: 1, minTimeout: 20, maxTimeout: 50 } },
    );
    const app = express();
    adapter.mount(app);
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await adapter.start();
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await adapter.stop();
    await api.close();
  });

  it('answers a crashing command with a plain apology in the channel, never the stack trace', async () => {
    handle = async () => {
      throw new Error('connect ECONNREFUSED db.internal:5432 password=hunter2');
    };
    const response = await sendToSlackRoute(url, slashCommandRequest({ text: 'status', userId: 'U0ALICE', channelId: 'C0OPS' }, signing));
    expect(response.status).toBe(200);
    await eventually('the apology', () => api.callsTo('chat.postMessage').length > 0);
    const [post] = api.callsTo('chat.postMessage');
    expect(post?.args.channel).toBe('C0OPS');
    expect(String(post?.args.text)).toMatch(/^:x: Something went wrong on my side/);
    expect(JSON.stringify(post?.args)).not.toMatch(/hunter2|ECONNREFUSED|at .*:\d+/);

    handle = async (command) => ({ outcome: 'completed', reply: { text: `ok ${command.text}`, tone: 'info', blocks: [] } });
    expect((await sendToSlackRoute(url, slashCommandRequest({ text: 'help', userId: 'U0ALICE' }, signing))).status).toBe(200);
    await eventually('the next command', () => handled.length === 2);
  });

  it('tells the person privately when the bot is not in the channel, and keeps serving', async () => {
    handle = async (command) => {
      const reply = { text: 'hi', tone: 'info' as const, blocks: [] };
      await adapter.chat.post(command.conversation, reply);
      return { outcome: 'completed', reply };
    };
    api.failNext('chat.postMessage', 'not_in_channel');
    api.failNext('chat.postMessage', 'not_in_channel');
    await sendToSlackRoute(url, slashCommandRequest({ text: 'help', userId: 'U0ALICE', channelId: 'C0PRIVATE', responseUrl: api.responseUrl }, signing));
    await eventually('the notice', () => api.callsTo('response_url').length > 0);
    expect(api.callsTo('response_url')[0]?.args).toEqual({ response_type: 'ephemeral', text: expect.stringMatching(/not a member\. Invite me with `\/invite @opsbot`/) });
    await adapter.settled();
    expect(api.callsTo('chat.postMessage').map((c) => c.outcome)).toEqual(['not_in_channel', 'not_in_channel']);
    expect((await sendToSlackRoute(url, slashCommandRequest({ text: 'status', userId: 'U0ALICE' }, signing))).status).toBe(200);
    await eventually('the next command', () => handled.length === 2);
  });

  it('looks each user up once (users.info is cached)', async () => {
    api.addUser({ id: 'U0ALICE', name: 'alice', realName: 'Alice Liddell' });
    handle = async () => ({ outcome: 'completed', reply: { text: 'ok', tone: 'info', blocks: [] } });
    for (let i = 0; i < 3; i++) {
      await sendToSlackRoute(url, eventCallbackRequest(appMentionEvent({ userId: 'U0ALICE', text: '<@UBOT0001> help', ts: `1700000000.00010${i}` }), { eventId: `EvC${i}` }, signing));
    }
    await eventually('three commands', () => handled.length === 3);
    expect(handled.map((c) => c.identity.displayName)).toEqual(['Alice Liddell', 'Alice Liddell', 'Alice Liddell']);
    expect(api.callsTo('users.info')).toHaveLength(1);
  });

  it('acknowledges clicks on elements that are not opsbot’s without running anything', async () => {
    handle = async () => ({ outcome: 'completed', reply: { text: 'ok', tone: 'info', blocks: [] } });
    const response = await sendToSlackRoute(
      url,
      blockActionsRequest({ userId: 'U0ALICE', channelId: 'C0OPS', message: { ts: '1.2' }, action: { action_id: 'someone-else', type: 'button', value: 'deploy x to prod' } }, signing),
    );
    expect(response.status).toBe(200);
    await adapter.settled();
    expect(handled).toHaveLength(0);
  });

  it('runs a select menu choice as a command', async () => {
    handle = async () => ({ outcome: 'completed', reply: { text: 'ok', tone: 'info', blocks: [] } });
    await sendToSlackRoute(
      url,
      blockActionsRequest(
        {
          userId: 'U0ALICE',
          channelId: 'C0OPS',
          message: { ts: '1700000000.000300', thread_ts: '1700000000.000100' },
          action: { action_id: 'opsbot-select-0', type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'v1' }, value: 'rollback sentiment in prod to v1' } },
        },
        signing,
      ),
    );
    await eventually('the command', () => handled.length === 1);
    expect(handled[0]).toMatchObject({ text: 'rollback sentiment in prod to v1', conversation: { channelId: 'C0OPS', threadId: '1700000000.000100' }, identity: { userId: 'U0ALICE' } });
  });
});
