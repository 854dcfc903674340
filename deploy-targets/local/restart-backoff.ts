/** How long a crashed model server waits before it is started again. */
export interface BackoffPolicy {
  /** The delay after the first crash. @defaultValue 500 */
  initialMs: number;
  /** Each further crash doubles the delay, up to this. @defaultValue 30000 */
  maxMs: number;
  /** A server that stayed ready this long starts from `initialMs` again at its next crash. @defaultValue 60000 */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000 };

/**
 * Exponential restart delays (0.5 s, 1 s, 2 s … 30 s), so a server that cannot start does not
 * spin the machine's cores, while one that crashed once after a long healthy run comes back at once.
 */
export class RestartBackoff {
  private crashes = 0;

  constructor(readonly policy: BackoffPolicy = DEFAULT_BACKOFF) {}

  /** The delay before the next start, counting this crash. */
  next(): number {
    const delay = Math.min(this.policy.maxMs, this.policy.initialMs * 2 ** Math.min(this.crashes, 30));
    this.crashes++;
    return delay;
  }

  /** The server stayed healthy long enough: earlier crashes no longer count. */
  reset(): void {
    this.crashes = 0;
  }
}
