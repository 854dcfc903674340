import type { ConversationRef } from '../../core/index.js';
import type { LocalMessage } from '../local/local-workspace.js';

/** The playground's one channel in the shared local workspace (the terminal has its own). */
export const PLAYGROUND_CONVERSATION: ConversationRef = { platform: 'local', workspace: '', channelId: 'playground' };

/** LocalWorkspace.post records the bot's messages under this author. */
export const BOT_AUTHOR = 'opsbot';

export function isPlaygroundMessage(entry: LocalMessage): boolean {
  return entry.conversation.platform === 'local' && entry.conversation.channelId === PLAYGROUND_CONVERSATION.channelId;
}

export function findPlaygroundMessage(history: readonly LocalMessage[], ref: string): LocalMessage | undefined {
  // Newest first: clicks and image loads are almost always about recent messages.
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i];
    if (entry?.ref === ref) return isPlaygroundMessage(entry) ? entry : undefined;
  }
  return undefined;
}

/** A click runs in the thread of the message clicked: its own thread, or the one it starts. */
export function threadOf(clicked: LocalMessage | undefined): ConversationRef {
  if (!clicked) return PLAYGROUND_CONVERSATION;
  return { ...PLAYGROUND_CONVERSATION, threadId: clicked.conversation.threadId ?? clicked.ref };
}
