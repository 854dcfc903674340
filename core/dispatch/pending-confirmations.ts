import { randomInt } from 'node:crypto';
import type { JobAction } from '../actions/action.schema.js';
import type { IncomingCommand } from '../chat/chat.port.js';
import { identityKey } from '../identity.js';
import type { Message } from '../messages/message.js';

export interface PendingConfirmation {
  token: string;
  action: JobAction;
  command: IncomingCommand;
  expiresAt: number;
  /** The question as posted, so its buttons can be replaced by the answer. */
  posted?: { ref: string; message: Message };
}

/**
 * Destructive actions wait here until the person who asked confirms them.
 * Kept in memory: an unconfirmed request lost on restart is simply asked again.
 */
export class PendingConfirmations {
  private readonly pending = new Map<string, PendingConfirmation>();

  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  add(action: JobAction, command: IncomingCommand): PendingConfirmation {
    this.expire();
    let token: string;
    do token = String(randomInt(1000, 10000));
    while (this.pending.has(token));
    const entry = { token, action, command, expiresAt: this.now() + this.ttlMs };
    this.pending.set(token, entry);
    return entry;
  }

  /** Takes the pending action for this token if it exists, has not expired and belongs to this user. */
  take(token: string, by: IncomingCommand): PendingConfirmation | 'unknown' | 'not-yours' {
    this.expire();
    const entry = this.pending.get(token);
    if (!entry) return 'unknown';
    if (identityKey(entry.command.identity) !== identityKey(by.identity)) return 'not-yours';
    this.pending.delete(token);
    return entry;
  }

  /** Remembers where the question was posted (it is posted after the request is added). */
  attachPosted(token: string, ref: string, message: Message): void {
    const entry = this.pending.get(token);
    if (entry) entry.posted = { ref, message };
  }

  get ttlMinutes(): number {
    return Math.round(this.ttlMs / 60_000);
  }

  private expire(): void {
    const now = this.now();
    for (const [token, entry] of this.pending) if (entry.expiresAt <= now) this.pending.delete(token);
  }
}
