import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from '../../../helpers/slack-harness.js';
import { eventually } from '../../../helpers/eventually.js';
import {
  blockActionsRequest,
  eventCallbackRequest,
  sendToSlackRoute,
  signedRequest,
  slackSignature,
  slashCommandRequest,
  type SlackRequest,
} from '../../../helpers/slack-request.js';

const signing = { secret: SIGNING_SECRET };

describe('Slack adapter: request verification and malformed payloads', () => {
  let slack: SlackHarness;

  beforeAll(async () => {
    slack = await startSlackHarness();
  });

  afterAll(async () => {
    await slack.close();
  });

  const send = (request: SlackRequest) => sendToSlackRoute(slack.eventsUrl, request);

  it('answers 401 to a forged signature, a stale timestamp, another secret and missing headers, and runs nothing', async () => {
    const valid = slashCommandRequest({ text: 'help', userId: 'U0MALLORY' }, signing);
    const forged = { ...valid, headers: { ...valid.headers, 'x-slack-signature': `v0=${'ab'.repeat(32)}` } };
    const stale = slashCommandRequest({ text: 'help', userId: 'U0MALLORY' }, { ...signing, timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    const future = slashCommandRequest({ text: 'help', userId: 'U0MALLORY' }, { ...signing, timestamp: Math.floor(Date.now() / 1000) + 6 * 60 });
    const otherSecret = slashCommandRequest({ text: 'help', userId: 'U0MALLORY' }, { secret: 'not-the-signing-secret' });
    const { 'x-slack-signature': _dropped, ...unsignedHeaders } = valid.headers;
    const unsigned = { ...valid, headers: unsignedHeaders };
    // A valid signature replayed onto a different body.
    const swapped = { ...valid, body: valid.body.replace('help', 'deploy') };
    for (const request of [forged, stale, future, otherSecret, unsigned, swapped]) {
      expect((await send(request)).status).toBe(401);
    }
    expect(slack.handled).toHaveLength(0);
  });

  it('answers url_verification with the challenge, and ssl_check with 200', async () => {
    const challenge = await send(signedRequest(JSON.stringify({ token: 't', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' }), 'application/json', signing));
    expect(challenge.status).toBe(200);
    expect(JSON.parse(challenge.text)).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
    expect((await send(signedRequest('ssl_check=1&token=t', 'application/x-www-form-urlencoded', signing))).status).toBe(200);
  });

  it('answers signed but malformed payloads with 400 or 200, never 500, and stays up', async () => {
    const nullEvent = signedRequest(JSON.stringify({ type: 'event_callback', team_id: 'T0001', event_id: 'EvNULL', event: null }), 'application/json', signing);
    const notJson = signedRequest('{"type": "event_callback", "event": ', 'application/json', signing);
    const badPayload = signedRequest('payload=%7Bnot-json', 'application/x-www-form-urlencoded', signing);
    const arrayBody = signedRequest('[1,2,3]', 'application/json', signing);
    const noActions = signedRequest(`payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: 'U1' }, actions: 'click' }))}`, 'application/x-www-form-urlencoded', signing);
    const noUser = signedRequest('command=%2Fopsbot&text=help&team_id=T0001&channel_id=C1', 'application/x-www-form-urlencoded', signing);
    const textPlain = signedRequest('hello', 'text/plain', signing);
    const eventWithoutType = eventCallbackRequest({ text: 'no type' }, { eventId: 'EvNOTYPE' }, signing);
    const mentionMissingFields = eventCallbackRequest({ type: 'app_mention', text: 42 }, { eventId: 'EvODD' }, signing);
    const emptyObject = signedRequest('{}', 'application/json', signing);
    const unknownInteraction = signedRequest(`payload=${encodeURIComponent(JSON.stringify({ type: 'view_submission', view: null }))}`, 'application/x-www-form-urlencoded', signing);
    const actionWithoutChannel = blockActionsRequest(
      { userId: 'U1', channelId: '', message: { ts: '1.1' }, action: { action_id: 'opsbot-button-0', type: 'button', value: 'help' } },
      signing,
    );
    const cases: Array<[string, SlackRequest, number[]]> = [
      ['event null', nullEvent, [400]],
      ['non-JSON body', notJson, [400]],
      ['payload not JSON', badPayload, [400]],
      ['JSON array', arrayBody, [400]],
      ['block_actions without actions', noActions, [400]],
      ['slash command without user', noUser, [400]],
      ['text/plain body', textPlain, [400]],
      ['event without type', eventWithoutType, [400]],
      ['app_mention missing fields', mentionMissingFields, [200]],
      ['empty object', emptyObject, [200]],
      ['unhandled interaction', unknownInteraction, [200]],
      ['click outside a channel', actionWithoutChannel, [200]],
    ];
    for (const [what, request, allowed] of cases) {
      const response = await send(request);
      expect({ what, status: response.status, allowed: allowed.includes(response.status) }).toEqual({ what, status: response.status, allowed: true });
      expect(response.text).not.toMatch(/at .*\.(js|ts):\d+/);
    }
    // The server still works after all that.
    const ok = await send(slashCommandRequest({ text: 'help', userId: 'U0AFTER' }, signing));
    expect(ok.status).toBe(200);
    await eventually('the reply', () => slack.handled.some((c) => c.identity.userId === 'U0AFTER'));
    expect(slack.handled.map((c) => c.identity.userId)).toEqual(['U0AFTER']);
  });

  it('refuses a body over the size limit with 413', async () => {
    const huge = signedRequest(JSON.stringify({ type: 'event_callback', pad: 'x'.repeat(3 * 1024 * 1024) }), 'application/json', signing);
    expect((await send(huge)).status).toBe(413);
  });

  it('uses the exact raw bytes for the signature (form bodies are not re-encoded)', async () => {
    const body = 'command=%2Fopsbot&text=status%20%26%20more&team_id=T0001&channel_id=C1&user_id=U0RAW&user_name=raw';
    const timestamp = Math.floor(Date.now() / 1000);
    const request = { body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, body) } };
    expect((await send(request)).status).toBe(200);
    await eventually('the command', () => slack.handled.find((c) => c.identity.userId === 'U0RAW'));
    expect(slack.handled.find((c) => c.identity.userId === 'U0RAW')?.text).toBe('status & more');
  });
});
