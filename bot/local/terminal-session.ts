import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ConversationRef, DispatchResult, Identity, IncomingCommand } from '../../core/index.js';
import type { LocalWorkspace } from './local-workspace.js';
import { printToTerminal } from './terminal-chat.js';

export interface TerminalSessionOptions {
  input: Readable;
  output: Writable;
  workspace: LocalWorkspace;
  identity: Identity;
  handle: (command: IncomingCommand) => Promise<DispatchResult>;
  /** Show a prompt (interactive terminals); off when input is piped. */
  interactive: boolean;
  /** Where charts are saved as PNG files for the terminal to name; absent: only their size is printed. */
  chartsDir?: string;
  /** Called at end of input with the jobs this session started, so a piped session can wait for them. */
  onEnd?: (jobIds: string[]) => Promise<void>;
}

export const LOCAL_CONVERSATION: ConversationRef = { platform: 'local', workspace: '', channelId: 'terminal' };

/** The local adapter's input: each line typed is one command, handled in order. */
export async function runTerminalSession(options: TerminalSessionOptions): Promise<void> {
  const { input, output, identity } = options;
  const lines = createInterface({ input, output: options.interactive ? output : undefined, terminal: options.interactive });
  const jobIds: string[] = [];
  // Bot messages arrive at any time; on a terminal they are printed above the prompt line.
  const write = options.interactive
    ? (text: string) => {
        output.write(`\r\x1b[K${text}`);
        lines.prompt(true);
      }
    : (text: string) => output.write(text);
  const stopPrinting = printToTerminal(options.workspace, write, LOCAL_CONVERSATION.channelId, options.chartsDir);
  if (options.interactive) {
    lines.setPrompt(`${identity.displayName}> `);
    lines.prompt();
  }
  for await (const line of lines) {
    const text = line.trim();
    if (text === 'quit' || text === 'exit') break;
    if (text !== '') {
      if (!options.interactive) output.write(`${identity.displayName}> ${echoed(text)}\n`);
      options.workspace.addUserMessage(LOCAL_CONVERSATION, identity.displayName, line);
      const result = await options.handle({ identity, conversation: LOCAL_CONVERSATION, text: line });
      if (result.jobId) jobIds.push(result.jobId);
    }
    if (options.interactive) lines.prompt();
  }
  lines.close();
  await options.onEnd?.(jobIds);
  stopPrinting();
}

/**
 * Piped input is echoed so the transcript reads like a chat, but a huge line is shortened and
 * control characters are shown escaped (\u001b), so an escape sequence never reaches the terminal.
 */
function echoed(text: string): string {
  const shown = text.length <= 200 ? text : `${text.slice(0, 200)}… (${text.length} characters)`;
  return shown.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
