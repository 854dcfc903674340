import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { LRUCache } from 'lru-cache';

/**
 * Bot Framework conversation references learned from incoming activities, by conversation id:
 * posting outside a turn needs the conversation's serviceUrl, which only the channel knows.
 */
export class ConversationReferences {
  /** The least recently used conversations are forgotten first, so memory stays flat however many chats the bot joins. */
  private readonly references: LRUCache<string, Partial<ConversationReference>>;

  constructor(capacity = 10_000) {
    this.references = new LRUCache({ max: capacity });
  }

  learn(activity: Activity): void {
    const reference = TurnContext.getConversationReference(activity);
    // The activity id is per message; replies pick their own.
    delete reference.activityId;
    this.references.set(activity.conversation.id, reference);
  }

  get(conversationId: string): Partial<ConversationReference> | undefined {
    return this.references.get(conversationId);
  }
}
