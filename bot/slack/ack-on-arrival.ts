import type { App, Receiver, ReceiverEvent, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../../core/index.js';
import { AckedEvents } from './acked-events.js';
import { screenSlackPayload } from './screen-payload.js';

/**
 * Socket Mode with every envelope acknowledged on arrival. Bolt's SocketModeReceiver
 * acks only when a listener calls ack(), so an envelope no listener takes (a click on a
 * button from an old message, a payload Bolt cannot route) is never acknowledged, and
 * Slack shows the person an error and redelivers it. Payloads are screened as in HTTP
 * mode before Bolt sees them.
 */
export class AckOnArrivalReceiver implements Receiver {
  private events?: AckedEvents;

  constructor(
    readonly socket: SocketModeReceiver,
    private readonly log: Logger,
  ) {}

  init(app: App): void {
    const events = new AckedEvents(app, this.log);
    this.events = events;
    // The Socket Mode receiver only ever calls processEvent on the app it is given.
    const acking: App = Object.create(app);
    acking.processEvent = async ({ ack, ...event }: ReceiverEvent) => {
      // A failed ack (the socket dropped) means Slack redelivers; retries are dropped by dedupeRetries.
      await ack().catch((error: unknown) => this.log.warn({ err: error }, 'could not acknowledge a Socket Mode envelope'));
      if (screenSlackPayload(event.body, this.log).kind === 'bolt') await events.process(event);
    };
    this.socket.init(acking);
  }

  start(): Promise<unknown> {
    return this.socket.start();
  }

  stop(): Promise<unknown> {
    return this.socket.stop();
  }

  /** Resolves when Bolt has run every envelope received so far. */
  settled(): Promise<void> {
    return this.events?.settled() ?? Promise.resolve();
  }
}
