import type { Writable } from 'node:stream';
import type { ChatPort, ConversationRef, Message } from '../../core/index.js';
import { renderText } from './render-text.js';

/**
 * The local adapter's output: a terminal cannot edit printed lines, so an update is
 * printed as a new line tagged with the message it updates (a thread of updates).
 */
export class TerminalChat implements ChatPort {
  private next = 1;

  constructor(private readonly output: Writable) {}

  async post(_conversation: ConversationRef, message: Message): Promise<string> {
    const ref = `m${this.next++}`;
    this.write(`opsbot> ${indent(renderText(message))}`);
    return ref;
  }

  async update(_conversation: ConversationRef, _ref: string, message: Message): Promise<void> {
    this.write(`opsbot> ↻ ${indent(renderText(message))}`);
  }

  private write(text: string): void {
    this.output.write(`${text}\n`);
  }
}

function indent(text: string): string {
  return text.replace(/\n/g, '\n        ');
}
