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

  it('wraps a table cell wider than 60 characters between words, lining up the columns', () => {
    const meaning = 'the environment: dev, staging, prod (never guessed); a protected one asks you to confirm first';
    const text = renderText({ text: 't', tone: 'info', blocks: [{ type: 'table', columns: ['option', 'meaning'], rows: [['to <env>', meaning], ['b', 'short']] }] });
    const lines = text.split('\n').slice(2);
    expect(lines).toEqual([
      '  to <env>  the environment: dev, staging, prod (never guessed); a',
      '            protected one asks you to confirm first',
      '  b         short',
    ]);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toContain(meaning);
  });

  it('cuts a cell too long for four lines, ending it in "…"', () => {
    const long = 'x'.repeat(300);
    const text = renderText({ text: 't', tone: 'info', blocks: [{ type: 'table', columns: ['name', 'note'], rows: [['a', long], ['b', 'short']] }] });
    const lines = text.split('\n').slice(2);
    expect(lines.slice(0, 4)).toEqual([`  a     ${'x'.repeat(60)}`, `        ${'x'.repeat(60)}`, `        ${'x'.repeat(60)}`, `        ${'x'.repeat(59)}…`]);
    expect(lines[4]).toBe('  b     short');
  });
  it('prints each link as "label: url", one a line, ready to copy', () => {
    const text = renderText({ text: 't', tone: 'info', blocks: [{ type: 'text', text: 'Firing' }, { type: 'links', links: [{ label: 'source', url: 'http://prometheus:9090/graph' }, { label: 'runbook', url: 'https://runbooks.example.com/x' }] }] });
    expect(text).toBe('Firing\n  source: http://prometheus:9090/graph\n  runbook: https://runbooks.example.com/x');
  });
});
