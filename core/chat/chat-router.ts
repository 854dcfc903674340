import type { ConversationRef, Platform } from '../identity.js';
import type { Message } from '../messages/message.js';
import type { ChatPort } from './chat.port.js';

/** One ChatPort over several platforms: each conversation goes to the adapter of its platform. */
export class ChatRouter implements ChatPort {
  private readonly ports = new Map<Platform, ChatPort>();

  register(platform: Platform, port: ChatPort): void {
    this.ports.set(platform, port);
  }

  post(conversation: ConversationRef, message: Message): Promise<string> {
    return this.portFor(conversation).post(conversation, message);
  }

  update(conversation: ConversationRef, ref: string, message: Message): Promise<void> {
    return this.portFor(conversation).update(conversation, ref, message);
  }

  private portFor(conversation: ConversationRef): ChatPort {
    const port = this.ports.get(conversation.platform);
    if (!port) throw new Error(`no chat adapter is running for ${conversation.platform}`);
    return port;
  }
}
