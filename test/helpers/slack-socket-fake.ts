import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * Slack's Socket Mode end, minimal: a WebSocket server (RFC 6455 handshake, text, ping
 * and close frames) that says `hello`, sends envelopes and collects the app's acks.
 * Hand-written so the tests need no WebSocket server package.
 */
export class SlackSocketFake {
  readonly acks: Array<{ envelope_id: string; payload?: unknown }> = [];
  private server?: Server;
  private socket?: Duplex;
  private pending = Buffer.alloc(0);
  url = '';
  connections = 0;

  static async start(): Promise<SlackSocketFake> {
    const fake = new SlackSocketFake();
    fake.server = createServer((_req, res) => res.writeHead(426).end());
    fake.server.on('upgrade', (req, socket) => fake.accept(String(req.headers['sec-websocket-key'] ?? ''), socket));
    await new Promise<void>((resolve) => fake.server?.listen(0, '127.0.0.1', resolve));
    fake.url = `ws://127.0.0.1:${(fake.server.address() as AddressInfo).port}/link/?ticket=t-1&app_id=A0OPSBOT`;
    return fake;
  }

  get connected(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  /** Sends an envelope as Slack does: `{envelope_id, type, payload, accepts_response_payload}`. */
  sendEnvelope(envelope: { envelope_id: string; type: string; payload: unknown; retry_attempt?: number; retry_reason?: string }): void {
    this.sendText(JSON.stringify({ accepts_response_payload: envelope.type !== 'events_api', ...envelope }));
  }

  /** Asks the app to reconnect, as Slack does before it recycles a connection (`refresh_requested`). */
  sendDisconnect(reason = 'refresh_requested'): void {
    this.sendText(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake' } }));
  }

  async close(): Promise<void> {
    this.socket?.destroy();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(key: string, socket: Duplex): void {
    const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    this.socket = socket;
    this.connections++;
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
    this.sendText(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 3600 } }));
  }

  private sendText(text: string): void {
    this.socket?.write(frame(0x1, Buffer.from(text)));
  }

  private receive(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    for (;;) {
      const parsed = parseFrame(this.pending);
      if (!parsed) return;
      this.pending = this.pending.subarray(parsed.size);
      if (parsed.opcode === 0x1) this.acks.push(JSON.parse(parsed.payload.toString('utf8')) as { envelope_id: string });
      else if (parsed.opcode === 0x9) this.socket?.write(frame(0xa, parsed.payload));
      else if (parsed.opcode === 0x8) {
        this.socket?.end(frame(0x8, parsed.payload.subarray(0, 2)));
        this.socket = undefined;
      }
    }
  }
}

/** A server frame: final, unmasked. */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x80 | opcode, length]) : length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (length >= 126 && length < 65536) {
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else if (length >= 65536) {
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

/** A client frame (always masked), or undefined until all of it has arrived. */
function parseFrame(buffer: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (buffer.length < 2) return undefined;
  const opcode = (buffer[0] as number) & 0x0f;
  const masked = ((buffer[1] as number) & 0x80) !== 0;
  let length = (buffer[1] as number) & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  const maskAt = offset;
  if (masked) offset += 4;
  if (buffer.length < offset + length) return undefined;
  const payload = Buffer.from(buffer.subarray(offset, offset + length));
  if (masked) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] as number) ^ (buffer[maskAt + (i % 4)] as number);
  return { opcode, payload, size: offset + length };
}
