import type { Logger } from '../../core/index.js';

/**
 * Commands run after the HTTP answer: Bot Framework redelivers an activity that is not
 * acknowledged within seconds, and a command (an LLM interpreter, a slow store) may take longer.
 * Tracked so that stop() can let the running ones finish.
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly log: Logger) {}

  /** Starts `task`; the promise settles with its result, or undefined when it failed (the failure is logged). */
  run<T>(what: string, task: () => Promise<T>): Promise<T | undefined> {
    const promise = task().catch((error: unknown) => {
      this.log.error({ err: error }, `${what} failed`);
      return undefined;
    });
    this.running.add(promise);
    void promise.finally(() => this.running.delete(promise));
    return promise;
  }

  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
