/** Bot Framework activities as Teams sends them, for tests. */
export const TEAMS_TENANT = '72f988bf-0000-4000-8000-000000000001';
export const TEAMS_APP_ID = '0a1b2c3d-1111-4222-8333-444455556666';

export interface TeamsUser {
  id: string;
  name: string;
  aadObjectId: string;
}

export const teamsAlice: TeamsUser = { id: '29:1alice-teams-id', name: 'Alice Adams', aadObjectId: 'aad-alice' };
export const teamsBob: TeamsUser = { id: '29:1bob-teams-id', name: 'Bob Brown', aadObjectId: 'aad-bob' };

export type TeamsScope = 'personal' | 'channel' | 'groupChat';

export interface ActivityOptions {
  serviceUrl: string;
  from?: TeamsUser;
  scope?: TeamsScope;
  /** Defaults to one conversation per scope. */
  conversationId?: string;
  id?: string;
  appId?: string;
  channelId?: string;
}

let sequence = 0;

export function conversationIdFor(scope: TeamsScope): string {
  if (scope === 'channel') return '19:general0123@thread.tacv2;messageid=1700000000000';
  if (scope === 'groupChat') return '19:groupchat0123@thread.v2';
  return 'a:1personal-chat-with-alice';
}

function base(options: ActivityOptions): Record<string, unknown> {
  const scope = options.scope ?? 'personal';
  const appId = options.appId ?? TEAMS_APP_ID;
  const from = options.from ?? teamsAlice;
  return {
    id: options.id ?? `1700000${String(++sequence).padStart(6, '0')}`,
    channelId: options.channelId ?? 'msteams',
    serviceUrl: options.serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: { id: `28:${appId}`, name: 'opsbot' },
    conversation: {
      id: options.conversationId ?? conversationIdFor(scope),
      conversationType: scope,
      tenantId: TEAMS_TENANT,
      ...(scope === 'personal' ? {} : { isGroup: true }),
    },
    channelData: {
      tenant: { id: TEAMS_TENANT },
      ...(scope === 'channel' ? { team: { id: '19:team0123@thread.tacv2' }, channel: { id: '19:general0123@thread.tacv2' } } : {}),
    },
  };
}

/** A typed message; `mention` prefixes it with the bot's @mention as Teams does in channels and group chats. */
export function teamsMessage(text: string, options: ActivityOptions & { mention?: boolean }): Record<string, unknown> {
  const appId = options.appId ?? TEAMS_APP_ID;
  const mention = '<at>opsbot</at>';
  return {
    ...base(options),
    type: 'message',
    textFormat: 'plain',
    text: options.mention ? `${mention} ${text}` : text,
    entities: options.mention ? [{ type: 'mention', text: mention, mentioned: { id: `28:${appId}`, name: 'opsbot' } }] : [],
  };
}

/** An Action.Submit click: Teams sends the button's data as the value of a message activity. */
export function teamsCardSubmit(data: unknown, options: ActivityOptions & { cardActivityId?: string }): Record<string, unknown> {
  return { ...base(options), type: 'message', value: data, ...(options.cardActivityId ? { replyToId: options.cardActivityId } : {}) };
}

/** An Action.Execute click (Universal Actions): an `adaptiveCard/action` invoke. */
export function teamsCardExecute(data: unknown, options: ActivityOptions & { cardActivityId?: string }): Record<string, unknown> {
  return {
    ...base(options),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb: 'run', data }, trigger: 'manual' },
    ...(options.cardActivityId ? { replyToId: options.cardActivityId } : {}),
  };
}
