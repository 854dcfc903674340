import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { BoundedMap } from './bounded-map.js';

/**
 * Bot Framework conversation references learned from incoming activities, by conversation id:
 * posting outside a turn needs the conversation's serviceUrl, which only the channel knows.
 */
export class ConversationReferences {
  private readonly references: BoundedMap<string, Partial<ConversationReference>>;

  constructor(capacity = 10_000) {
    this.references = new BoundedMap(capacity);
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
