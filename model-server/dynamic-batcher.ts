interface Pending<R> {
  resolve(result: R): void;
  reject(error: unknown): void;
}

export interface DynamicBatcherOptions<I, R> {
  /** Runs one batch; returns one result per item, in order. */
  run(items: readonly I[]): Promise<R[]>;
  /** Most items per run. */
  maxBatch: number;
  /** Longest an item waits for others before its batch runs anyway, in ms; 0: only those that arrived in the same turn of the event loop. */
  maxDelayMs: number;
  /** Told the size of every batch that runs (the batch-size metric). */
  onBatch?(size: number): void;
  /**
   * Whether anything else could still join the forming batch (a request in flight that has
   * not reached the batcher yet). When nothing could, waiting only adds latency, so the batch
   * runs at the end of this turn of the event loop. Absent: always wait (Triton's policy).
   */
  othersPending?(): boolean;
}

/**
 * Triton-style dynamic batching: items submitted while a batch is forming share one run.
 * A batch runs as soon as it is full, when no other request could join it, or when its
 * first item has waited `maxDelayMs`.
 * Runs go one at a time: onnxruntime-node runs a session on the main thread, so two
 * overlapping runs would only queue behind each other, while the next batch keeps growing.
 */
export class DynamicBatcher<I, R> {
  private items: I[] = [];
  private waiting: Pending<R>[] = [];
  /** Cancels the pending flush of the forming batch, if one is scheduled. */
  private cancelFlush?: () => void;
  /** The scheduled flush is the end-of-turn one. */
  private soon = false;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly options: DynamicBatcherOptions<I, R>) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.items.push(item);
      this.waiting.push({ resolve, reject });
      if (this.items.length >= this.options.maxBatch) this.flush();
      else if (this.options.othersPending && !this.options.othersPending()) this.flushSoon();
      else this.cancelFlush ??= this.scheduleFlush(this.options.maxDelayMs);
    });
  }

  /** Resolves once every item submitted so far has its result. */
  async drain(): Promise<void> {
    if (this.items.length > 0) this.flush();
    await this.running;
  }

  private flush(): void {
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    this.soon = false;
    const items = this.items;
    const waiting = this.waiting;
    this.items = [];
    this.waiting = [];
    if (items.length === 0) return;
    this.running = this.running.then(() => this.runBatch(items, waiting));
  }

  private async runBatch(items: I[], waiting: Pending<R>[]): Promise<void> {
    this.options.onBatch?.(items.length);
    try {
      const results = await this.options.run(items);
      waiting.forEach((pending, i) => pending.resolve(results[i] as R));
    } catch (error) {
      for (const pending of waiting) pending.reject(error);
    }
  }

  /** Runs the forming batch at the end of this turn, with whatever else arrives in it. */
  private flushSoon(): void {
    if (this.soon) return;
    this.cancelFlush?.();
    this.cancelFlush = this.scheduleFlush(0);
    this.soon = true;
  }

  private scheduleFlush(delayMs: number): () => void {
    if (delayMs > 0) {
      const timer = setTimeout(() => this.flush(), delayMs);
      return () => clearTimeout(timer);
    }
    const immediate = setImmediate(() => this.flush());
    return () => clearImmediate(immediate);
  }
}
