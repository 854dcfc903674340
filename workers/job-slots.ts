/**
 * A process's slots for jobs that need no GPU: OPSBOT_WORKER_CONCURRENCY of them,
 * shared by every kind, whichever queue driver hands the jobs out. Waiters are
 * served in the order they asked.
 */
export class JobSlots {
  private taken = 0;
  private readonly waiters: Array<() => void> = [];
  private readonly listeners = new Set<() => void>();

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`job slots must be a whole number of at least 1, not ${size}`);
  }

  /** Slots held now (for metrics). */
  get used(): number {
    return this.taken;
  }

  get full(): boolean {
    return this.taken >= this.size;
  }

  /** Takes a slot if one is free now. */
  tryTake(): boolean {
    if (this.full) return false;
    this.taken += 1;
    this.changed();
    return true;
  }

  /** Resolves once a slot is held for the caller. */
  take(): Promise<void> {
    if (this.tryTake()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    // The slot passes straight to the next waiter, so nobody can jump the line.
    if (next) next();
    else {
      this.taken -= 1;
      this.changed();
    }
  }

  /** Called whenever a slot is taken or freed. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
