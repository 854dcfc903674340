/**
 * One operation at a time per model and environment in this process: a rollout, a
 * promotion, a rollback, a scale or a retirement each read the slot and write it back.
 * Across processes the store's compare-and-set transitions keep deployments consistent.
 */
export class SlotLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(model: string, env: string, work: () => Promise<T>): Promise<T> {
    const key = `${model}\u0000${env}`;
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
