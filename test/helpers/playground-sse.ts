import { eventually } from './eventually.js';

export interface SseEvent {
  event: string;
  data: string;
}

/** Reads a Server-Sent Events stream with plain fetch, the way a browser's EventSource would. */
export class SseReader {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  private readonly abort = new AbortController();
  private done?: Promise<void>;
  status = 0;
  contentType = '';

  static async open(url: string): Promise<SseReader> {
    const reader = new SseReader();
    const response = await fetch(url, { signal: reader.abort.signal, headers: { Accept: 'text/event-stream' } });
    reader.status = response.status;
    reader.contentType = response.headers.get('content-type') ?? '';
    if (response.body) reader.done = reader.read(response.body);
    return reader;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          this.parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (error) {
      if (!this.abort.signal.aborted) throw error;
    }
  }

  private parse(frame: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) this.events.push({ event, data: data.join('\n') });
  }

  /** Waits for an event of this type whose parsed data passes `match`, and returns that data. */
  async waitFor<T>(event: string, match: (data: T) => boolean, timeoutMs = 20_000): Promise<T> {
    return eventually(
      `an SSE ${event} event`,
      () => this.events.filter((e) => e.event === event).map((e) => JSON.parse(e.data) as T).find(match),
      timeoutMs,
    );
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}
