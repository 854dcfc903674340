import { randomInt } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ActionOf, JobAction } from '../actions/action.schema.js';

/** What may wait for a confirmation: a job, or a cancel understood from natural language. */
export type ConfirmableAction = JobAction | ActionOf<'cancel'>;
import type { IncomingCommand } from '../chat/chat.port.js';
import { identityKey } from '../identity.js';
import type { Message } from '../messages/message.js';

export interface PendingConfirmation {
  token: string;
  action: ConfirmableAction;
  command: IncomingCommand;
  /** The question as posted, so its buttons can be replaced by the answer. */
  posted?: { ref: string; message: Message };
}

export interface PendingConfirmationsOptions {
  /** @defaultValue 5 minutes */
  ttlMs?: number;
  /** Requests waiting per user; one more is refused until one is answered or expires. @defaultValue `5` */
  perUser?: number;
  /** Requests waiting in all; past it the oldest is forgotten. @defaultValue `1000` */
  total?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/** No 0/o, 1/l/i: a code read off a screen is typed right. 31⁶ ≈ 887 million codes. */
const CODE_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';
const CODE_LENGTH = 6;

function newCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/**
 * Destructive actions wait here until the person who asked confirms them.
 * Kept in memory: an unconfirmed request lost on restart is simply asked again.
 * Bounded per user and in total, so no one can fill the process's memory with questions.
 */
export class PendingConfirmations {
  private readonly pending: LRUCache<string, PendingConfirmation>;
  /** Codes per user, oldest first, so a user's bound is checked without a scan of everyone's requests. */
  private readonly byUser = new Map<string, Set<string>>();
  private readonly ttlMs: number;
  readonly perUser: number;

  constructor(options: PendingConfirmationsOptions = {}) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.perUser = options.perUser ?? 5;
    const now = options.now;
    this.pending = new LRUCache({
      max: options.total ?? 1000,
      ttl: this.ttlMs,
      // Age is read from the clock at each call (no cached time), so the injected clock is exact.
      ttlResolution: 0,
      ...(now ? { perf: { now } } : {}),
      // Evicted, expired or taken: the code no longer counts against its user.
      dispose: (entry, token) => {
        const key = identityKey(entry.command.identity);
        const codes = this.byUser.get(key);
        codes?.delete(token);
        if (codes?.size === 0) this.byUser.delete(key);
      },
    });
  }

  /** Adds a request, or answers `'limit'` when this user already has `perUser` waiting. */
  add(action: ConfirmableAction, command: IncomingCommand): PendingConfirmation | 'limit' {
    if (this.waitingFor(command).length >= this.perUser) return 'limit';
    let token = newCode();
    // Bounded by `total` entries among 887 million codes: a repeat is all but impossible, and never loops for long.
    while (this.pending.has(token)) token = newCode();
    const entry: PendingConfirmation = { token, action, command };
    this.pending.set(token, entry);
    const key = identityKey(command.identity);
    this.byUser.set(key, (this.byUser.get(key) ?? new Set()).add(token));
    return entry;
  }

  /** The codes of this user's requests still waiting, oldest first. */
  waitingFor(by: IncomingCommand): string[] {
    const codes = [...(this.byUser.get(identityKey(by.identity)) ?? [])];
    // `has` neither counts an expired request nor makes one recent.
    return codes.filter((token) => this.pending.has(token));
  }

  /** Takes the pending action for this token if it exists, has not expired and belongs to this user. */
  take(token: string, by: IncomingCommand): PendingConfirmation | 'unknown' | 'not-yours' {
    const entry = this.pending.get(token.toLowerCase());
    if (!entry) return 'unknown';
    if (identityKey(entry.command.identity) !== identityKey(by.identity)) return 'not-yours';
    this.pending.delete(entry.token);
    return entry;
  }

  /** Remembers where the question was posted (it is posted after the request is added). */
  attachPosted(token: string, ref: string, message: Message): void {
    const entry = this.pending.peek(token);
    if (entry) entry.posted = { ref, message };
  }

  get size(): number {
    this.pending.purgeStale();
    return this.pending.size;
  }

  get ttlMinutes(): number {
    return Math.round(this.ttlMs / 60_000);
  }
}
