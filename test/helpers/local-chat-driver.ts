import { PassThrough } from 'node:stream';
import { LocalWorkspace, runTerminalSession } from '../../bot/index.js';
import type { DispatchResult, Identity, IncomingCommand } from '../../core/index.js';
import { eventually } from './eventually.js';

/** Drives the real local adapter through streams: type a line, read what opsbot printed. */
export class LocalChatDriver {
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  readonly chat = new LocalWorkspace();
  private transcript = '';
  private session?: Promise<void>;

  constructor() {
    this.output.on('data', (chunk: Buffer) => {
      this.transcript += chunk.toString('utf8');
    });
  }

  start(identity: Identity, handle: (command: IncomingCommand) => Promise<DispatchResult>): void {
    this.session = runTerminalSession({ input: this.input, output: this.output, workspace: this.chat, identity, handle, interactive: false });
  }

  type(line: string): void {
    this.input.write(`${line}\n`);
  }

  get text(): string {
    return this.transcript;
  }

  /** Waits until the transcript matches, returning the match. */
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    return eventually(`output matching ${pattern}`, () => this.transcript.match(pattern) ?? undefined, timeoutMs);
  }

  async end(): Promise<void> {
    this.input.end();
    await this.session;
  }
}
