import { renderText } from './render-text.js';
import type { LocalWorkspace, LocalWorkspaceEvent } from './local-workspace.js';

/**
 * Prints the bot's messages of one local channel to a terminal. A terminal cannot edit
 * printed lines, so an update is printed as a new line marked ↻ (a thread of updates).
 */
export function printToTerminal(workspace: LocalWorkspace, write: (text: string) => void, channelId: string): () => void {
  return workspace.subscribe((event: LocalWorkspaceEvent) => {
    const { entry } = event;
    if (entry.author !== 'opsbot' || entry.conversation.channelId !== channelId) return;
    const marker = event.type === 'updated' ? '↻ ' : '';
    write(`opsbot> ${marker}${renderText(entry.message).replace(/\n/g, '\n        ')}\n`);
  });
}
