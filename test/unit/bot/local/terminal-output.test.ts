import { PassThrough } from 'node:stream';
import { LocalWorkspace, LOCAL_CONVERSATION, printToTerminal, renderText, runTerminalSession } from '../../../../bot/local/index.js';
import type { Message } from '../../../../core/index.js';
import { alice } from '../../../helpers/fixtures.js';

const message = (text: string, tone: Message['tone'] = 'info'): Message => ({ text, tone, blocks: [{ type: 'text', text }] });

describe('the terminal chat', () => {
  it('echoes piped control characters escaped, so no escape sequence reaches the terminal', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
    input.end('train sentiment\u001b[2J\u0007 now\n');
    const workspace = new LocalWorkspace();
    await runTerminalSession({
      input,
      output,
      workspace,
      identity: alice,
      interactive: false,
      handle: async () => ({ outcome: 'invalid', reply: message('refused', 'error') }),
    });
    expect(printed).toContain('alice> train sentiment\\u001b[2J\\u0007 now\n');
    expect(printed).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it('prints an update only when its text changed, with no marker before the status emoji', async () => {
    const workspace = new LocalWorkspace();
    const lines: string[] = [];
    const stop = printToTerminal(workspace, (text) => lines.push(text), LOCAL_CONVERSATION.channelId);
    const ref = await workspace.post(LOCAL_CONVERSATION, message('Job j-1 — running 40%'));
    await workspace.update(LOCAL_CONVERSATION, ref, message('Job j-1 — running 40%'));
    await workspace.update(LOCAL_CONVERSATION, ref, message('Job j-1 — running 40%'));
    await workspace.update(LOCAL_CONVERSATION, ref, message('Job j-1 — completed', 'success'));
    await workspace.update(LOCAL_CONVERSATION, ref, message('Job j-1 — completed', 'success'));
    stop();
    expect(lines).toEqual(['opsbot> Job j-1 — running 40%\n', 'opsbot> ✅ Job j-1 — completed\n']);
  });

  it('ends a table cell cut at 60 characters with "…"', () => {
    const long = 'x'.repeat(80);
    const text = renderText({ text: 't', tone: 'info', blocks: [{ type: 'table', columns: ['name', 'note'], rows: [['a', long], ['b', 'short']] }] });
    const [, , first, second] = text.split('\n');
    expect(first).toBe(`  a     ${'x'.repeat(59)}…`);
    expect(second).toBe('  b     short');
  });
});
