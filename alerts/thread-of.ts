import type { ConversationRef } from '../core/index.js';

/**
 * The conversation of a parent message's thread. Slack's message ref is `channel:ts` and its thread is
 * the ts; Teams' is `{"id":…,"serviceUrl":…}` and its reply chain hangs off the activity id; the other
 * platforms reply to the ref itself.
 */
export function threadOf(conversation: ConversationRef, parentRef: string): ConversationRef {
  if (conversation.platform === 'slack' && parentRef.includes(':')) return { ...conversation, threadId: parentRef.slice(parentRef.indexOf(':') + 1) };
  if (conversation.platform === 'teams') return { ...conversation, threadId: teamsActivityId(parentRef) ?? parentRef };
  return { ...conversation, threadId: parentRef };
}

/** The activity id in a Teams message ref (bot/teams/message-ref.ts), read without loading the Teams adapter. */
function teamsActivityId(ref: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(ref);
    const id = parsed && typeof parsed === 'object' ? (parsed as { id?: unknown }).id : undefined;
    return typeof id === 'string' && id.length > 0 ? id : undefined;
  } catch {
    return undefined;
  }
}
