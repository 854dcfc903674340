import type { App, Receiver, ReceiverEvent, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../../core/index.js';
import { screenSlackPayload } from './screen-payload.js';

/** Bolt's part of an event that Slack already has its ack for. */
export type AckedEvent = Omit<ReceiverEvent, 'ack'>;

/**
 * Hands Bolt an event that was acknowledged already: opsbot never puts anything in an
 * ack (no modals, no option lists), so the listeners' ack() has nothing left to do. A
 * failure is logged here, never handed back to the receiver (which would ack again).
 */
export async function processAcked(app: App, event: AckedEvent, log: Logger): Promise<void> {
  try {
    await app.processEvent({ ...event, ack: async () => {} });
  } catch (error) {
    log.error({ err: error }, 'processing a Slack request failed');
  }
}

/**
 * Socket Mode with every envelope acknowledged on arrival. Bolt's SocketModeReceiver
 * acks only when a listener calls ack(), so an envelope no listener takes (a click on a
 * button from an old message, a payload Bolt cannot route) is never acknowledged, and
 * Slack shows the person an error and redelivers it. Payloads are screened as in HTTP
 * mode before Bolt sees them.
 */
export class AckOnArrivalReceiver implements Receiver {
  constructor(
    readonly socket: SocketModeReceiver,
    private readonly log: Logger,
  ) {}

  init(app: App): void {
    // The Socket Mode receiver only ever calls processEvent on the app it is given.
    const acking: App = Object.create(app);
    acking.processEvent = async ({ ack, ...event }: ReceiverEvent) => {
      // A failed ack (the socket dropped) means Slack redelivers; retries are dropped by dedupeRetries.
      await ack().catch((error: unknown) => this.log.warn({ err: error }, 'could not acknowledge a Socket Mode envelope'));
      if (screenSlackPayload(event.body, this.log).kind === 'bolt') await processAcked(app, event, this.log);
    };
    this.socket.init(acking);
  }

  start(): Promise<unknown> {
    return this.socket.start();
  }

  stop(): Promise<unknown> {
    return this.socket.stop();
  }
}
