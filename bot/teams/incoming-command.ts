import type { ConversationRef, Identity, IncomingCommand } from '../../core/index.js';
import type { IncomingActivity } from './activity.schema.js';

/** The Azure AD tenant of the activity: Teams puts it on the conversation and in channelData. */
export function tenantOf(activity: IncomingActivity): string {
  return activity.conversation.tenantId ?? activity.channelData?.tenant?.id ?? '';
}

/** The person behind an activity; the AAD object id is stable across chats, `from.id` is not. */
export function identityOf(activity: IncomingActivity): Identity {
  return {
    platform: 'teams',
    workspace: tenantOf(activity),
    userId: activity.from.aadObjectId || activity.from.id,
    displayName: activity.from.name || activity.from.aadObjectId || activity.from.id,
  };
}

/**
 * Where replies to this activity go: its conversation (a channel thread carries its root in
 * the id, `…;messageid=…`), answering the activity itself — or, for a card click, the message
 * given (the card, or the one the card itself answers).
 */
export function conversationOf(activity: IncomingActivity, replyTo: 'activity' | { card: string | undefined }): ConversationRef {
  const threadId = (replyTo === 'activity' ? undefined : replyTo.card) ?? activity.id ?? undefined;
  return { platform: 'teams', workspace: tenantOf(activity), channelId: activity.conversation.id, ...(threadId ? { threadId } : {}) };
}

const ENTITIES: Record<string, string> = { '&nbsp;': ' ', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&apos;': "'" };

/**
 * The command in a message whose bot mention has already been removed: other people's
 * `<at>` tags become their names, leftover markup and entities are undone.
 */
export function plainCommandText(text: string): string {
  return text
    .replace(/<at>(.*?)<\/at>/gi, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(nbsp|amp|lt|gt|quot|#39|apos);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/\s+/g, ' ')
    .trim();
}

export function incomingCommand(activity: IncomingActivity, text: string, replyTo: 'activity' | { card: string | undefined }): IncomingCommand {
  return { identity: identityOf(activity), conversation: conversationOf(activity, replyTo), text };
}
