import type { App, ReceiverEvent } from '@slack/bolt';
import { setImmediate as afterPendingIo } from 'node:timers/promises';
import pLimit from 'p-limit';
import type { Logger } from '../../core/index.js';

/**
 * How many acknowledged events Bolt runs at once. Each one's work (store, audit, rendering,
 * Web API calls) shares the event loop with the reading and acking of new requests; with
 * every event running at once, a burst of commands put their work between Slack and its
 * acks (p99 1.2–1.5× a plain Bolt app in bench/slack-ack.bench.ts), with four it is about
 * 0.5×. Four still lets a slow Web API call or two wait without holding up the rest.
 */
const EVENTS_AT_ONCE = 4;

/** Bolt's part of an event that Slack already has its ack for. */
export type AckedEvent = Omit<ReceiverEvent, 'ack'>;

/**
 * Hands Bolt events that were acknowledged already (both receivers ack on arrival):
 * opsbot never puts anything in an ack (no modals, no option lists), so the listeners'
 * ack() has nothing left to do. A failure is logged here, never handed back to the
 * receiver (which would ack again).
 */
export class AckedEvents {
  private readonly running = new Set<Promise<void>>();
  private readonly limit = pLimit(EVENTS_AT_ONCE);

  constructor(
    private readonly app: App,
    private readonly log: Logger,
  ) {}

  process(event: AckedEvent): Promise<void> {
    const task = this.limit(() => this.run(event));
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
    return task;
  }

  /** Resolves when Bolt has run every event handed over so far (its listeners may still be dispatching). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async run(event: AckedEvent): Promise<void> {
    // Requests already waiting are read (and acked) before this one's work starts: under load, acks go first.
    await afterPendingIo();
    try {
      await this.app.processEvent({ ...event, ack: async () => {} });
    } catch (error) {
      this.log.error({ err: error }, 'processing a Slack request failed');
    }
  }
}
