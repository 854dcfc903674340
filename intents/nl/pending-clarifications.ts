import { LRUCache } from 'lru-cache';
import type { ClarifyUnderstanding } from './understanding.js';

export interface PendingClarification {
  readonly clarification: ClarifyUnderstanding;
  /** Who was asked: the dispatcher decides whether another person's answer counts. */
  readonly userId: string;
  /** The sentence that was asked about. */
  readonly text: string;
  readonly askedAt: number;
}

export interface PendingClarificationsOptions {
  /** @defaultValue 1000 threads */
  readonly max?: number;
  /** @defaultValue 5 minutes */
  readonly ttlMs?: number;
}

/**
 * The half-built actions waiting for an answer, one per chat thread, for a few minutes: bounded,
 * so a busy workspace cannot grow it without limit, and forgotten after the TTL, so an old
 * question is never answered by a much later message.
 */
export class PendingClarifications {
  private readonly cache: LRUCache<string, PendingClarification>;

  constructor(options: PendingClarificationsOptions = {}) {
    this.cache = new LRUCache({ max: options.max ?? 1000, ttl: options.ttlMs ?? 5 * 60_000, ttlAutopurge: false });
  }

  /** Remembers the question asked in a thread, replacing an older one there. */
  remember(thread: string, pending: PendingClarification): void {
    this.cache.set(thread, pending);
  }

  peek(thread: string): PendingClarification | undefined {
    return this.cache.get(thread);
  }

  /** The open question of a thread, removed: an answer is used once, so a second click finds nothing. */
  take(thread: string): PendingClarification | undefined {
    const pending = this.cache.get(thread);
    if (pending !== undefined) this.cache.delete(thread);
    return pending;
  }

  forget(thread: string): void {
    this.cache.delete(thread);
  }

  get size(): number {
    return this.cache.size;
  }
}
