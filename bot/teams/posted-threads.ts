import { LRUCache } from 'lru-cache';

/**
 * The thread each message the bot posted answers, by the message's activity id. A card click
 * names only the card (`replyToId`), but what it answers belongs to the card's thread: a
 * clarifying question is remembered for the message that asked, and the click's reply reads
 * under the same message as the question. Bounded like the conversation references, and
 * forgotten on restart, when a click falls back to answering the card itself.
 */
export class PostedThreads {
  private readonly threads: LRUCache<string, string>;

  constructor(capacity = 10_000) {
    this.threads = new LRUCache({ max: capacity });
  }

  remember(conversationId: string, activityId: string, threadId: string): void {
    this.threads.set(`${conversationId}|${activityId}`, threadId);
  }

  threadOf(conversationId: string, activityId: string): string | undefined {
    return this.threads.get(`${conversationId}|${activityId}`);
  }
}
