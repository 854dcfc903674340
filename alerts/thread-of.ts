import type { ConversationRef } from '../core/index.js';

/**
 * The conversation of a parent message's thread. Slack's message ref is `channel:ts` and its thread is
 * the ts; the other platforms reply to the ref itself.
 */
export function threadOf(conversation: ConversationRef, parentRef: string): ConversationRef {
  const threadId = conversation.platform === 'slack' && parentRef.includes(':') ? parentRef.slice(parentRef.indexOf(':') + 1) : parentRef;
  return { ...conversation, threadId };
}
