import type { App } from '@slack/bolt';
import type { ConversationRef, Identity, Logger } from '../../core/index.js';
import { OPSBOT_ACTION_ID } from './action-ids.js';
import type { CommandRunner } from './command-runner.js';
import type { SlackChat } from './slack-chat.js';
import { commandFromSlackText } from './command-text.js';
import { blockActionsSchema, slashCommandSchema, userMessageEventSchema } from './payload-schemas.js';
import type { UserDirectory } from './user-directory.js';
import type { WebClient } from './web-client.js';

export interface ListenerDeps {
  runner: CommandRunner;
  chat: SlackChat;
  directory: UserDirectory;
  client: WebClient;
  log: Logger;
}

/** Text that only addressed the bot (`@opsbot`, `/opsbot`) asks what it can do. */
const EMPTY_COMMAND = 'help';

/**
 * Turns the three ways people talk to opsbot on Slack into IncomingCommands: the slash
 * command, messages that mention it or are sent to it directly, and clicks on its
 * buttons and menus. Every listener acknowledges first and dispatches after.
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const { runner, directory, log } = deps;
  const identity = async (workspace: string, userId: string, payloadName?: string): Promise<Identity> => ({
    platform: 'slack',
    workspace,
    userId,
    displayName: await directory.displayName(workspace, userId, payloadName),
  });

  // Any command routed to this app is opsbot's, whatever the workspace named it.
  app.command(/^\//, async ({ ack, body }) => {
    await ack();
    const parsed = slashCommandSchema.safeParse(body);
    if (!parsed.success) return log.warn({ issue: parsed.error.issues[0]?.message }, 'ignored a malformed slash command');
    const command = parsed.data;
    if (command.response_url) deps.chat.rememberResponseUrl(command.channel_id, command.response_url);
    runner.run(async () => ({
      identity: await identity(command.team_id, command.user_id, command.user_name),
      conversation: { platform: 'slack', workspace: command.team_id, channelId: command.channel_id },
      text: commandFromSlackText(command.text) || EMPTY_COMMAND,
    }));
  });

  const onMessage = (event: unknown, teamId: unknown, botUserId: string | undefined, requireIm: boolean) => {
    const parsed = userMessageEventSchema.safeParse(event);
    if (!parsed.success) return log.debug({ issue: parsed.error.issues[0]?.message }, 'ignored a Slack message event');
    const message = parsed.data;
    // Edits, deletions, joins, bot posts (our own included) are not commands.
    if (message.subtype !== undefined || message.bot_id !== undefined || message.user === botUserId) return;
    if (requireIm && message.channel_type !== 'im') return;
    const workspace = typeof teamId === 'string' ? teamId : (message.team ?? '');
    runner.run(async () => ({
      identity: await identity(workspace, message.user),
      // Reply in the message's thread, or start one on the message itself.
      conversation: { platform: 'slack', workspace, channelId: message.channel, threadId: message.thread_ts ?? message.ts },
      text: commandFromSlackText(message.text, botUserId) || EMPTY_COMMAND,
    }));
  };
  app.event('app_mention', async ({ event, body, context }) => onMessage(event, body.team_id, context.botUserId, false));
  app.event('message', async ({ event, body, context }) => onMessage(event, body.team_id, context.botUserId, true));

  app.action({ type: 'block_actions', action_id: OPSBOT_ACTION_ID }, async ({ ack, body }) => {
    await ack();
    const parsed = blockActionsSchema.safeParse(body);
    if (!parsed.success) return log.warn({ issue: parsed.error.issues[0]?.message }, 'ignored a malformed block action');
    const payload = parsed.data;
    const action = payload.actions[0];
    const text = action?.value ?? action?.selected_option?.value;
    const channel = payload.channel?.id ?? payload.container?.channel_id;
    const messageTs = payload.message?.ts ?? payload.container?.message_ts;
    if (!action || !text || !channel) return log.warn({ actionId: action?.action_id }, 'ignored a click without a command or a channel');
    const workspace = payload.team?.id ?? payload.user.team_id ?? '';
    const threadId = payload.message?.thread_ts ?? payload.container?.thread_ts ?? messageTs;
    const conversation: ConversationRef = { platform: 'slack', workspace, channelId: channel, ...(threadId ? { threadId } : {}) };
    // The clicker's identity, not the message author's: RBAC judges whoever clicked. Core
    // replaces an answered confirmation's buttons with who answered.
    runner.run(async () => ({ identity: await identity(workspace, payload.user.id, payload.user.name ?? payload.user.username), conversation, text }));
  });
}
