import type { ConversationRef, Identity } from '../identity.js';
import type { Message } from '../messages/message.js';

/** A message someone typed (or a button they clicked, as the command it stands for). */
export interface IncomingCommand {
  identity: Identity;
  conversation: ConversationRef;
  text: string;
  /**
   * Answers only the person who sent it (Slack ephemeral, the Teams invoke response of a
   * card click); absent where the platform cannot, and the answer is posted instead.
   */
  respondPrivately?: (message: Message) => Promise<void>;
}

/** How core talks back to a conversation; each chat platform implements it. */
export interface ChatPort {
  /** Posts a message and returns a reference to update it later. */
  post(conversation: ConversationRef, message: Message): Promise<string>;
  /** Replaces a posted message; platforms that cannot edit post the update as a new message in the thread. */
  update(conversation: ConversationRef, ref: string, message: Message): Promise<void>;
}
