/**
 * Ids seen recently, to drop Slack's retries of an event already handled. Slack retries
 * for about an hour at most, so ids are kept for `ttlMs` (an hour by default), and never
 * more than `maxEntries` of them, oldest forgotten first, so memory stays bounded.
 */
export class RecentIds {
  /** id → when it may be forgotten; Map keeps insertion order, which is expiry order. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 3_600_000,
    private readonly maxEntries = 50_000,
  ) {}

  /** Remembers the id; false when it was already remembered (a duplicate). */
  add(id: string, now = Date.now()): boolean {
    this.forgetExpired(now);
    const expires = this.seen.get(id);
    if (expires !== undefined && expires > now) return false;
    this.seen.set(id, now + this.ttlMs);
    while (this.seen.size > this.maxEntries) {
      const oldest = this.seen.keys().next();
      if (oldest.done) break;
      this.seen.delete(oldest.value);
    }
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private forgetExpired(now: number): void {
    for (const [id, expires] of this.seen) {
      if (expires > now) break;
      this.seen.delete(id);
    }
  }
}
