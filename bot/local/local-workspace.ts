import { randomBytes } from 'node:crypto';
import type { ChatPort, ConversationRef, Message } from '../../core/index.js';

export interface LocalMessage {
  ref: string;
  conversation: ConversationRef;
  message: Message;
  /** Who wrote it: the bot, or a local user's display name. */
  author: string;
  at: string;
}

export type LocalWorkspaceEvent = { type: 'posted' | 'updated'; entry: LocalMessage };
export type LocalWorkspaceListener = (event: LocalWorkspaceEvent) => void;

/**
 * The embedded default's chat platform: messages kept in memory and shown by every local
 * view (the terminal, the browser playground). Unlike a terminal alone, it can update a
 * message in place, so the playground shows progress the way Slack and Teams do.
 */
export class LocalWorkspace implements ChatPort {
  private readonly messages: LocalMessage[] = [];
  private readonly byRef = new Map<string, LocalMessage>();
  private readonly listeners = new Set<LocalWorkspaceListener>();
  /** Refs of messages posted again because the original was gone, to the new one. */
  private readonly replacedBy = new Map<string, string>();
  /**
   * Messages live only as long as the process, but job records keep their refs: each
   * process's refs carry their own tag, so an old job's ref never names a new message.
   */
  private readonly session = randomBytes(3).toString('hex');
  private next = 1;

  constructor(private readonly maxMessages = 1000) {}

  async post(conversation: ConversationRef, message: Message): Promise<string> {
    return this.add(conversation, message, 'opsbot').ref;
  }

  /**
   * Replaces a message. One that is gone (posted before a restart, or dropped as old) is
   * posted again, and later updates of its ref go to the new one.
   */
  async update(conversation: ConversationRef, ref: string, message: Message): Promise<void> {
    const entry = this.byRef.get(this.replacedBy.get(ref) ?? ref);
    if (!entry) {
      this.replacedBy.set(ref, this.add(conversation, message, 'opsbot').ref);
      return;
    }
    entry.message = message;
    this.emit({ type: 'updated', entry });
  }

  /** Records what a local user typed, so every view shows the conversation. */
  addUserMessage(conversation: ConversationRef, author: string, text: string): LocalMessage {
    return this.add(conversation, { text, tone: 'info', blocks: [{ type: 'text', text }] }, author);
  }

  history(): readonly LocalMessage[] {
    return this.messages;
  }

  subscribe(listener: LocalWorkspaceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private add(conversation: ConversationRef, message: Message, author: string): LocalMessage {
    const entry: LocalMessage = { ref: `m${this.next++}-${this.session}`, conversation, message, author, at: new Date().toISOString() };
    this.messages.push(entry);
    this.byRef.set(entry.ref, entry);
    if (this.messages.length > this.maxMessages) {
      const dropped = this.messages.shift() as LocalMessage;
      this.byRef.delete(dropped.ref);
    }
    this.emit({ type: 'posted', entry });
    return entry;
  }

  private emit(event: LocalWorkspaceEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
