interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Slot<T> {
  /** When the last send for this key started (or the message was posted). */
  lastSentAt: number;
  pending?: { value: T; waiters: Waiter[] };
  timer?: NodeJS.Timeout;
  sending: boolean;
  send?: (value: T) => Promise<void>;
}

/**
 * At most one send per key per `intervalMs`, coalescing: while a key waits, a newer value
 * replaces the older one, and the newest always lands. Every caller's promise settles
 * when the send that carries its value (or a newer one) has finished.
 */
export class UpdateThrottle<T> {
  private readonly slots = new Map<string, Slot<T>>();

  constructor(private readonly intervalMs = 1000) {}

  /** Records a write done outside the throttle (the post that created the message). */
  touch(key: string, now = Date.now()): void {
    const slot = this.slot(key);
    slot.lastSentAt = Math.max(slot.lastSentAt, now);
    if (slot.sending) return;
    if (slot.pending) this.arm(key, slot);
    else this.scheduleCleanup(key, slot);
  }

  schedule(key: string, value: T, send: (value: T) => Promise<void>): Promise<void> {
    const slot = this.slot(key);
    slot.send = send;
    return new Promise<void>((resolve, reject) => {
      const waiters = slot.pending?.waiters ?? [];
      waiters.push({ resolve, reject });
      slot.pending = { value, waiters };
      if (!slot.sending) this.arm(key, slot);
    });
  }

  /** Sends every waiting value now (shutdown), then resolves. */
  async flush(): Promise<void> {
    const sends: Promise<void>[] = [];
    for (const [key, slot] of this.slots) {
      if (slot.pending && !slot.sending) {
        clearTimeout(slot.timer);
        sends.push(this.fire(key, slot));
      }
    }
    await Promise.allSettled(sends);
  }

  /** Keys with state kept (tests check that idle keys are forgotten). */
  get size(): number {
    return this.slots.size;
  }

  private slot(key: string): Slot<T> {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { lastSentAt: 0, sending: false };
      this.slots.set(key, slot);
    }
    return slot;
  }

  private arm(key: string, slot: Slot<T>): void {
    clearTimeout(slot.timer);
    const wait = Math.max(0, slot.lastSentAt + this.intervalMs - Date.now());
    slot.timer = setTimeout(() => void this.fire(key, slot), wait);
  }

  private async fire(key: string, slot: Slot<T>): Promise<void> {
    const pending = slot.pending;
    const send = slot.send;
    slot.timer = undefined;
    if (!pending || !send) return;
    slot.pending = undefined;
    slot.sending = true;
    slot.lastSentAt = Date.now();
    try {
      await send(pending.value);
      for (const waiter of pending.waiters) waiter.resolve();
    } catch (error) {
      for (const waiter of pending.waiters) waiter.reject(error);
    } finally {
      slot.sending = false;
      if (slot.pending) this.arm(key, slot);
      else this.scheduleCleanup(key, slot);
    }
  }

  /** Forgets a key once it has been idle for a full interval, so memory does not grow with messages. */
  private scheduleCleanup(key: string, slot: Slot<T>): void {
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      if (!slot.pending && !slot.sending && this.slots.get(key) === slot) this.slots.delete(key);
    }, this.intervalMs);
    slot.timer.unref();
  }
}
