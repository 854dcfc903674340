import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createSlackAdapter, type SlackAdapter } from '../../../../bot/slack/index.js';
import { defaultConfig, silentLogger, type DispatchResult, type IncomingCommand } from '../../../../core/index.js';
import { openSqliteStateStore, type SqliteStateStore } from '../../../../store/index.js';
import { eventually } from '../../../helpers/eventually.js';
import { SlackApiFake } from '../../../helpers/slack-api-fake.js';
import { blockActionsPayload } from '../../../helpers/slack-request.js';
import { SlackSocketFake } from '../../../helpers/slack-socket-fake.js';

const eventPayload = (eventId: string, text: string) => ({
  token: 't',
  team_id: 'T0001',
  api_app_id: 'A0OPSBOT',
  type: 'event_callback',
  event_id: eventId,
  event_time: Math.floor(Date.now() / 1000),
  event: { type: 'app_mention', user: 'U0ALICE', text, ts: '1700000000.000200', channel: 'C0OPS', event_ts: '1700000000.000200' },
  authorizations: [{ team_id: 'T0001', user_id: 'UBOT0001', is_bot: true }],
});

describe('Slack adapter in Socket Mode (SLACK_APP_TOKEN)', () => {
  let api: SlackApiFake;
  let socket: SlackSocketFake;
  let adapter: SlackAdapter;
  let server: Server;
  let store: SqliteStateStore;
  const handled: IncomingCommand[] = [];

  beforeAll(async () => {
    store = openSqliteStateStore(':memory:');
    api = await SlackApiFake.start();
    socket = await SlackSocketFake.start();
    api.socketUrl = socket.url;
    const config = { ...defaultConfig(), slack: { botToken: api.token, appToken: 'xapp-1-A0OPSBOT-1-abc', apiUrl: api.url } };
    adapter = createSlackAdapter(
      {
        config,
        log: silentLogger,
        audit: (entry) => store.audit.append(entry),
        handle: async (command): Promise<DispatchResult> => {
          handled.push(command);
          const reply = { text: `ran ${command.text}`, tone: 'success' as const, blocks: [{ type: 'text' as const, text: `ran ${command.text}` }] };
          await adapter.chat.post(command.conversation, reply);
          return { outcome: 'completed', reply };
        },
      },
      { retryConfig: { retries: 2, minTimeout: 50, maxTimeout: 100 } },
    );
    const app = express();
    adapter.mount(app);
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await adapter.start();
  });

  afterAll(async () => {
    await adapter.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await socket.close();
    await api.close();
    await store.close();
  });

  it('adds no HTTP route, and connects with the app token', async () => {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(adapter.mode).toBe('socket');
    expect(api.callsTo('apps.connections.open')[0]?.token).toBe('xapp-1-A0OPSBOT-1-abc');
    await eventually('connected', () => socket.connected);
  });

  it('acks an events_api envelope, then answers the mention in its thread; a redelivery runs once', async () => {
    socket.sendEnvelope({ envelope_id: 'env-1', type: 'events_api', payload: eventPayload('EvS1', '<@UBOT0001> status') });
    await eventually('the ack', () => socket.acks.find((a) => a.envelope_id === 'env-1'));
    await eventually('the reply', () => api.callsTo('chat.postMessage').length > 0);
    expect(api.callsTo('chat.postMessage')[0]?.args).toMatchObject({ channel: 'C0OPS', thread_ts: '1700000000.000200', text: ':white_check_mark: ran status' });
    socket.sendEnvelope({ envelope_id: 'env-2', type: 'events_api', payload: eventPayload('EvS1', '<@UBOT0001> status'), retry_attempt: 1, retry_reason: 'timeout' });
    await eventually('the retry ack', () => socket.acks.find((a) => a.envelope_id === 'env-2'));
    await adapter.settled();
    expect(handled.filter((c) => c.text === 'status')).toHaveLength(1);
  });

  it('acks a slash command envelope and runs it', async () => {
    socket.sendEnvelope({
      envelope_id: 'env-3',
      type: 'slash_commands',
      payload: { token: 't', team_id: 'T0001', channel_id: 'C0OPS', user_id: 'U0BOB', user_name: 'bob', command: '/opsbot', text: 'help', trigger_id: '1.2.3', response_url: 'https://hooks.slack.com/x' },
    });
    await eventually('the ack', () => socket.acks.find((a) => a.envelope_id === 'env-3'));
    await eventually('the command', () => handled.find((c) => c.text === 'help'));
    expect(handled.find((c) => c.text === 'help')).toMatchObject({ identity: { userId: 'U0BOB', workspace: 'T0001' }, conversation: { channelId: 'C0OPS' } });
  });

  it('acks a click on a button opsbot did not send, and tells only the clicker it is no longer valid (audited)', async () => {
    const click = (envelopeId: string, action: Record<string, unknown>) =>
      socket.sendEnvelope({
        envelope_id: envelopeId,
        type: 'interactive',
        payload: blockActionsPayload({ userId: 'U0CAROL', userName: 'carol', channelId: 'C0OPS', message: { ts: '1700000000.000300', text: 'an old message' }, action }),
      });
    // A button from a message older than opsbot's action ids, and one of opsbot's whose value is missing.
    click('env-stale', { action_id: 'deploy_sentiment_v3', type: 'button', value: 'deploy sentiment v3 to prod' });
    click('env-novalue', { action_id: 'opsbot-button-0', type: 'button' });
    await eventually('both acks', () => ['env-stale', 'env-novalue'].every((id) => socket.acks.some((a) => a.envelope_id === id)));
    await eventually('two ephemeral answers', () => api.callsTo('chat.postEphemeral').length === 2);
    for (const call of api.callsTo('chat.postEphemeral')) {
      expect(call.args).toMatchObject({ channel: 'C0OPS', user: 'U0CAROL', thread_ts: '1700000000.000300' });
      expect(String(call.args.text)).toMatch(/no longer valid/);
    }
    expect(api.callsTo('chat.postMessage').filter((c) => String(c.args.text).includes('deploy'))).toHaveLength(0);
    expect(handled.some((c) => c.identity.userId === 'U0CAROL')).toBe(false);
    const audited = await eventually('the audit records', async () => {
      const records = await store.audit.query({});
      return records.length === 2 && records;
    });
    expect(audited).toEqual(expect.arrayContaining([expect.objectContaining({ platform: 'slack', userId: 'U0CAROL', channelId: 'C0OPS', outcome: 'invalid', text: '[button deploy_sentiment_v3]' })]));
  });

  it('reconnects when Slack sends a refresh_requested disconnect, and keeps acking on the new connection', async () => {
    const before = socket.connections;
    socket.sendDisconnect('refresh_requested');
    await eventually('a new connection', () => socket.connections > before && socket.connected, 15_000);
    socket.sendEnvelope({ envelope_id: 'env-after', type: 'events_api', payload: eventPayload('EvS9', '<@UBOT0001> help') });
    await eventually('the ack', () => socket.acks.find((a) => a.envelope_id === 'env-after'));
  }, 20_000);
});
