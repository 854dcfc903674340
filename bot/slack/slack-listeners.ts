import type { App } from '@slack/bolt';
import type { AuditEntry, ConversationRef, Identity, Logger, Message } from '../../core/index.js';
import { renderPlainText } from './render-plain-text.js';
import { OPSBOT_ACTION_ID } from './action-ids.js';
import type { CommandRunner } from './command-runner.js';
import type { SlackChat } from './slack-chat.js';
import { commandFromSlackText } from './command-text.js';
import { blockActionsSchema, slashCommandSchema, userMessageEventSchema, type BlockActionsPayload } from './payload-schemas.js';
import type { UserDirectory } from './user-directory.js';
import { slackErrorCode, type WebClient } from './web-client.js';

export interface ListenerDeps {
  runner: CommandRunner;
  chat: SlackChat;
  directory: UserDirectory;
  client: WebClient;
  log: Logger;
  /** Core's audit log; refused clicks are only logged without it. */
  audit?: (entry: AuditEntry) => Promise<unknown>;
}

/** Text that only addressed the bot (`@opsbot`, `/opsbot`) asks what it can do. */
const EMPTY_COMMAND = 'help';

/** What the clicker of a button opsbot cannot act on sees (only them). */
export const STALE_BUTTON_TEXT = ':warning: This button is no longer valid. Send the command again, or `help` to see what I can do.';

/**
 * Turns the three ways people talk to opsbot on Slack into IncomingCommands: the slash
 * command, messages that mention it or are sent to it directly, and clicks on its
 * buttons and menus. Slack already has its ack when a listener runs (the receivers ack
 * on arrival), so listeners never call ack().
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const { runner, directory, log } = deps;
  const identity = async (workspace: string, userId: string, payloadName?: string): Promise<Identity> => ({
    platform: 'slack',
    workspace,
    userId,
    displayName: await directory.displayName(workspace, userId, payloadName),
  });

  /** An answer only this person sees, where they are (Slack ephemeral). */
  const privately = (channel: string, user: string, threadTs?: string) => async (message: Message) => {
    await deps.client.chat.postEphemeral({ channel, user, text: renderPlainText(message), ...(threadTs ? { thread_ts: threadTs } : {}) });
  };

  // Any command routed to this app is opsbot's, whatever the workspace named it.
  app.command(/^\//, async ({ body }) => {
    const parsed = slashCommandSchema.safeParse(body);
    if (!parsed.success) return log.warn({ issue: parsed.error.issues[0]?.message }, 'ignored a malformed slash command');
    const command = parsed.data;
    if (command.response_url) deps.chat.rememberResponseUrl(command.channel_id, command.response_url);
    runner.run(async () => ({
      identity: await identity(command.team_id, command.user_id, command.user_name),
      conversation: { platform: 'slack', workspace: command.team_id, channelId: command.channel_id },
      text: commandFromSlackText(command.text) || EMPTY_COMMAND,
      respondPrivately: privately(command.channel_id, command.user_id),
    }));
  });

  const onMessage = (event: unknown, teamId: unknown, botUserId: string | undefined, requireIm: boolean) => {
    const parsed = userMessageEventSchema.safeParse(event);
    if (!parsed.success) return log.debug({ issue: parsed.error.issues[0]?.message }, 'ignored a Slack message event');
    const message = parsed.data;
    // Edits, deletions, joins, bot posts (our own included) are not commands.
    if (message.subtype !== undefined || message.bot_id !== undefined || message.user === botUserId) return;
    // In a channel: only replies in opsbot's own threads (answers to its questions), and not those that mention it (app_mention brings them).
    if (requireIm && message.channel_type !== 'im') {
      const inOwnThread = message.thread_ts !== undefined && deps.chat.isOwnThread(message.channel, message.thread_ts);
      if (!inOwnThread || (botUserId !== undefined && message.text.includes(`<@${botUserId}>`))) return;
    }
    const workspace = typeof teamId === 'string' ? teamId : (message.team ?? '');
    runner.run(async () => ({
      identity: await identity(workspace, message.user),
      // Reply in the message's thread, or start one on the message itself.
      conversation: { platform: 'slack', workspace, channelId: message.channel, threadId: message.thread_ts ?? message.ts },
      text: commandFromSlackText(message.text, botUserId) || EMPTY_COMMAND,
      respondPrivately: privately(message.channel, message.user, message.thread_ts ?? message.ts),
    }));
  };
  app.event('app_mention', async ({ event, body, context }) => onMessage(event, body.team_id, context.botUserId, false));
  app.event('message', async ({ event, body, context }) => onMessage(event, body.team_id, context.botUserId, true));

  // Every click, opsbot's current buttons or not: one that carries no command opsbot gave it is answered, never dropped.
  app.action({ type: 'block_actions' }, async ({ body }) => {
    const parsed = blockActionsSchema.safeParse(body);
    if (!parsed.success) return log.warn({ issue: parsed.error.issues[0]?.message }, 'ignored a malformed block action');
    const payload = parsed.data;
    const action = payload.actions[0];
    const text = (action?.value ?? action?.selected_option?.value)?.trim();
    const channel = payload.channel?.id ?? payload.container?.channel_id;
    if (!action || !channel) return log.warn({ actionId: action?.action_id }, 'ignored a click outside a channel');
    const workspace = payload.team?.id ?? payload.user.team_id ?? '';
    const messageTs = payload.message?.ts ?? payload.container?.message_ts;
    const threadId = payload.message?.thread_ts ?? payload.container?.thread_ts ?? messageTs;
    const conversation: ConversationRef = { platform: 'slack', workspace, channelId: channel, ...(threadId ? { threadId } : {}) };
    if (!OPSBOT_ACTION_ID.test(action.action_id) || !text) return refuseStaleClick(deps, payload, conversation, action.action_id);
    // The clicker's identity, not the message author's: RBAC judges whoever clicked. Core
    // replaces an answered confirmation's buttons with who answered.
    const respondPrivately = privately(channel, payload.user.id, conversation.threadId);
    runner.run(async () => ({ identity: await identity(workspace, payload.user.id, payload.user.name ?? payload.user.username), conversation, text, respondPrivately }));
  });
}

/**
 * A click opsbot cannot act on — a button from a message older than its action ids, or
 * one whose value is missing — gets an ephemeral answer and an audit record.
 */
async function refuseStaleClick(deps: ListenerDeps, payload: BlockActionsPayload, conversation: ConversationRef, actionId: string): Promise<void> {
  const { client, log } = deps;
  const userId = payload.user.id;
  const detail = `a button opsbot cannot act on (action_id ${actionId.slice(0, 80)}): no longer valid`;
  log.info({ actionId: actionId.slice(0, 80), userId }, 'answered a click on a button that is no longer valid');
  try {
    await client.chat.postEphemeral({ channel: conversation.channelId, user: userId, text: STALE_BUTTON_TEXT, ...(conversation.threadId ? { thread_ts: conversation.threadId } : {}) });
  } catch (error) {
    log.warn({ err: error, code: slackErrorCode(error) }, 'could not tell the clicker that the button is no longer valid');
  }
  await deps
    .audit?.({
      platform: 'slack',
      workspace: conversation.workspace,
      userId,
      userName: await deps.directory.displayName(conversation.workspace, userId, payload.user.name ?? payload.user.username),
      channelId: conversation.channelId,
      threadId: conversation.threadId,
      text: `[button ${actionId.slice(0, 80)}]`,
      outcome: 'invalid',
      detail,
    })
    .catch((error: unknown) => log.error({ err: error }, 'audit append failed'));
}
