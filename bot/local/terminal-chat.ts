import { saveChartFile } from './chart-files.js';
import { renderText, type TextRenderOptions } from './render-text.js';
import type { LocalWorkspace, LocalWorkspaceEvent } from './local-workspace.js';

/**
 * Prints the bot's messages of one local channel to a terminal. A terminal cannot edit
 * printed lines, so an update is printed as a new line marked ↻ (a thread of updates).
 * With `chartsDir`, images (training curves, confusion matrices) are saved there as
 * PNG files and the line names the file. What the bot posted before the terminal
 * opened (jobs a restart settled, say) is printed first.
 */
export function printToTerminal(workspace: LocalWorkspace, write: (text: string) => void, channelId: string, chartsDir?: string): () => void {
  const options: TextRenderOptions = chartsDir ? { imagePath: (block) => saveChartFile(chartsDir, block.png, block.title ?? block.alt) } : {};
  const print = (event: LocalWorkspaceEvent) => {
    const { entry } = event;
    if (entry.author !== 'opsbot' || entry.conversation.channelId !== channelId) return;
    const marker = event.type === 'updated' ? '↻ ' : '';
    write(`opsbot> ${marker}${renderText(entry.message, options).replace(/\n/g, '\n        ')}\n`);
  };
  for (const entry of workspace.history()) print({ type: 'posted', entry });
  return workspace.subscribe(print);
}
