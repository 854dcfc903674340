import type { Response } from 'express';
import type { Logger } from '../../core/index.js';
import type { LocalWorkspace, LocalWorkspaceEvent } from '../local/local-workspace.js';
import { isPlaygroundMessage } from './playground-conversation.js';
import { toPlaygroundEntry } from './playground-entry.js';

interface Client {
  res: Response;
  heartbeat: NodeJS.Timeout;
}

/** A browser that stops reading (a sleeping laptop) is dropped past this; it reconnects and gets the history again. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

function frame(event: string, data: unknown): string {
  // JSON.stringify escapes newlines, so the payload is always one `data:` line.
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The page's live feed (Server-Sent Events): the channel's history on connect, then every
 * posted or updated message. Each event is rendered once and written to every open page.
 */
export class PlaygroundEventStream {
  private readonly clients = new Set<Client>();
  private unsubscribe?: () => void;

  constructor(
    private readonly workspace: LocalWorkspace,
    private readonly log: Logger,
    private readonly heartbeatMs: number,
  ) {}

  connect(res: Response): void {
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      // Proxies such as nginx would otherwise hold events back in their buffers.
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    const history = this.workspace.history().filter(isPlaygroundMessage).map(toPlaygroundEntry);
    res.write(`retry: 2000\n${frame('history', history)}`);
    // Comments keep idle connections open through proxies and let both sides notice a dead peer.
    const client: Client = { res, heartbeat: setInterval(() => this.write(client, ': heartbeat\n\n'), this.heartbeatMs) };
    this.clients.add(client);
    this.unsubscribe ??= this.workspace.subscribe((event) => this.broadcast(event));
    // The response closes when the page goes away or the connection drops (req's close fires earlier, once a GET is read).
    res.on('close', () => this.drop(client));
  }

  /** Ends every open stream (shutdown), so the server can close. */
  close(): void {
    for (const client of [...this.clients]) {
      client.res.end();
      this.drop(client);
    }
  }

  get connections(): number {
    return this.clients.size;
  }

  private broadcast(event: LocalWorkspaceEvent): void {
    if (!isPlaygroundMessage(event.entry)) return;
    // The workspace calls listeners inside post(); a rendering bug must not fail the bot's reply.
    let text: string;
    try {
      text = frame(event.type, toPlaygroundEntry(event.entry));
    } catch (error) {
      this.log.error({ err: error, ref: event.entry.ref }, 'could not render a playground message');
      return;
    }
    for (const client of this.clients) this.write(client, text);
  }

  private write(client: Client, text: string): void {
    if (client.res.writableLength > MAX_BUFFERED_BYTES) {
      this.log.warn({ buffered: client.res.writableLength }, 'dropping a playground page that stopped reading events');
      client.res.destroy();
      this.drop(client);
      return;
    }
    client.res.write(text);
  }

  private drop(client: Client): void {
    clearInterval(client.heartbeat);
    if (!this.clients.delete(client)) return;
    if (this.clients.size === 0) {
      this.unsubscribe?.();
      this.unsubscribe = undefined;
    }
  }
}
