/**
 * Bot token scopes opsbot's Slack code relies on, each with why; manifest.json must
 * request every one of them (a unit test checks).
 */
export const SLACK_SCOPES = {
  'app_mentions:read': 'app_mention events (slack-listeners.ts)',
  'channels:history': 'message.channels events: replies in threads opsbot posted in, which answer its questions without a mention',
  'chat:write': 'chat.postMessage and chat.update (slack-chat.ts), chat.postEphemeral (slack-listeners.ts)',
  'chat:write.public': 'replying to /opsbot in public channels the bot has not joined',
  commands: 'the /opsbot slash command',
  'files:write': 'files.getUploadURLExternal and files.completeUploadExternal (image uploads)',
  'groups:history': 'message.groups events: the same in private channels',
  'im:history': 'message.im events: direct messages to the bot',
  'im:read': 'direct message channel details for message.im events',
  'im:write': 'replying in direct messages',
  'users:read': 'users.info for display names (user-directory.ts)',
} as const;

export type SlackScope = keyof typeof SLACK_SCOPES;
