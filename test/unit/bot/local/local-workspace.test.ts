import { LocalWorkspace } from '../../../../bot/local/local-workspace.js';
import type { ConversationRef, Message } from '../../../../core/index.js';

const terminal: ConversationRef = { platform: 'local', workspace: '', channelId: 'terminal' };
const message = (text: string): Message => ({ text, tone: 'info', blocks: [{ type: 'text', text }] });

describe('LocalWorkspace', () => {
  it('posts an update of a message it no longer holds as a new one, and sends later updates there', async () => {
    const before = new LocalWorkspace();
    const oldRef = await before.post(terminal, message('Job j-1 — running'));
    // A new process: the job record still names the old process's message.
    const workspace = new LocalWorkspace();
    await workspace.update(terminal, oldRef, message('Job j-1 — cancelled'));
    await workspace.update(terminal, oldRef, message('Job j-1 — cancelled, files deleted'));
    expect(workspace.history().map((entry) => entry.message.text)).toEqual(['Job j-1 — cancelled, files deleted']);
  });

  it('never reuses an earlier process’s refs for its own messages', async () => {
    const refs = await Promise.all([new LocalWorkspace(), new LocalWorkspace()].map((workspace) => workspace.post(terminal, message('hello'))));
    expect(refs[0]).not.toBe(refs[1]);
  });
});
