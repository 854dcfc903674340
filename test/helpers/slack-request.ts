import { createHmac } from 'node:crypto';

/** A request as Slack would send it to the Request URL: body and headers, signed. */
export interface SlackRequest {
  body: string;
  headers: Record<string, string>;
}

export interface SigningOptions {
  secret: string;
  /** Seconds since the epoch; now by default (stale ones test the replay window). */
  timestamp?: number;
  /** Slack retry headers, for a redelivered event. */
  retryNum?: number;
  retryReason?: string;
}

/** Slack's v0 signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function signedRequest(body: string, contentType: string, options: SigningOptions): SlackRequest {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(options.secret, timestamp, body),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = options.retryReason ?? 'http_timeout';
  }
  return { body, headers };
}

export interface SlashCommandFields {
  text: string;
  userId: string;
  userName?: string;
  channelId?: string;
  teamId?: string;
  command?: string;
  /** Where Slack accepts a delayed answer; hooks.slack.com unless a test points it at its fake. */
  responseUrl?: string;
}

/** A slash command: `application/x-www-form-urlencoded`, fields as Slack documents them. */
export function slashCommandRequest(fields: SlashCommandFields, options: SigningOptions): SlackRequest {
  const teamId = fields.teamId ?? 'T0001';
  const channelId = fields.channelId ?? 'C0001';
  const form = new URLSearchParams({
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: teamId,
    team_domain: 'acme',
    channel_id: channelId,
    channel_name: 'ml-ops',
    user_id: fields.userId,
    user_name: fields.userName ?? fields.userId.toLowerCase(),
    command: fields.command ?? '/opsbot',
    text: fields.text,
    api_app_id: 'A0OPSBOT',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl ?? `https://hooks.slack.com/commands/${teamId}/1234/abcd`,
    trigger_id: `${Date.now()}.1234.abcdef`,
  });
  return signedRequest(form.toString(), 'application/x-www-form-urlencoded', options);
}

export interface EventEnvelopeFields {
  eventId: string;
  teamId?: string;
  botUserId?: string;
}

/** An Events API `event_callback`: JSON, with the envelope fields Slack documents. */
export function eventCallbackRequest(event: Record<string, unknown>, fields: EventEnvelopeFields, options: SigningOptions): SlackRequest {
  const teamId = fields.teamId ?? 'T0001';
  const body = JSON.stringify({
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: teamId,
    context_team_id: teamId,
    api_app_id: 'A0OPSBOT',
    event,
    type: 'event_callback',
    event_id: fields.eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: fields.botUserId ?? 'UBOT0001', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${fields.eventId}`,
  });
  return signedRequest(body, 'application/json', options);
}

/** An `app_mention` event in a channel, optionally inside a thread. */
export function appMentionEvent(fields: { userId: string; text: string; ts: string; channel?: string; threadTs?: string; teamId?: string }): Record<string, unknown> {
  return {
    type: 'app_mention',
    user: fields.userId,
    text: fields.text,
    ts: fields.ts,
    client_msg_id: `m-${fields.ts}`,
    team: fields.teamId ?? 'T0001',
    channel: fields.channel ?? 'C0001',
    event_ts: fields.ts,
    ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}),
  };
}

/** A `message` event in a direct message with the bot. */
export function directMessageEvent(fields: { userId: string; text: string; ts: string; channel?: string; subtype?: string; botId?: string }): Record<string, unknown> {
  return {
    type: 'message',
    channel_type: 'im',
    user: fields.userId,
    text: fields.text,
    ts: fields.ts,
    client_msg_id: `m-${fields.ts}`,
    team: 'T0001',
    channel: fields.channel ?? 'D0001',
    event_ts: fields.ts,
    ...(fields.subtype ? { subtype: fields.subtype } : {}),
    ...(fields.botId ? { bot_id: fields.botId } : {}),
  };
}

export interface BlockActionFields {
  userId: string;
  userName?: string;
  teamId?: string;
  channelId: string;
  /** The clicked message: its ts, thread and blocks as Slack echoes them. */
  message: { ts: string; thread_ts?: string; text?: string; blocks?: unknown[] };
  action: Record<string, unknown>;
}

/** A block_actions payload as Slack sends it (over HTTP in `payload=`, in Socket Mode as an `interactive` envelope). */
export function blockActionsPayload(fields: BlockActionFields): Record<string, unknown> {
  const teamId = fields.teamId ?? 'T0001';
  return {
    type: 'block_actions',
    user: { id: fields.userId, username: fields.userName ?? fields.userId.toLowerCase(), name: fields.userName ?? fields.userId.toLowerCase(), team_id: teamId },
    api_app_id: 'A0OPSBOT',
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    container: { type: 'message', message_ts: fields.message.ts, channel_id: fields.channelId, is_ephemeral: false, ...(fields.message.thread_ts ? { thread_ts: fields.message.thread_ts } : {}) },
    trigger_id: `${Date.now()}.1234.fedcba`,
    team: { id: teamId, domain: 'acme' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: fields.channelId, name: 'ml-ops' },
    message: { type: 'message', user: 'UBOT0001', bot_id: 'B0001', ...fields.message },
    state: { values: {} },
    response_url: `https://hooks.slack.com/actions/${teamId}/1234/abcd`,
    actions: [{ block_id: 'b1', action_ts: `${Math.floor(Date.now() / 1000)}.000100`, ...fields.action }],
  };
}

/** Interactivity: a `payload=` form field holding the block_actions JSON. */
export function blockActionsRequest(fields: BlockActionFields, options: SigningOptions): SlackRequest {
  const form = new URLSearchParams({ payload: JSON.stringify(blockActionsPayload(fields)) });
  return signedRequest(form.toString(), 'application/x-www-form-urlencoded', options);
}

export interface SlackResponse {
  status: number;
  text: string;
}

/** Sends a request to the Slack route; how fast it answers is for bench/, not tests. */
export async function sendToSlackRoute(url: string, request: SlackRequest, extraHeaders: Record<string, string> = {}): Promise<SlackResponse> {
  const response = await fetch(url, { method: 'POST', headers: { ...request.headers, ...extraHeaders }, body: request.body });
  return { status: response.status, text: await response.text() };
}
