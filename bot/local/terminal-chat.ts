import { LRUCache } from 'lru-cache';
import { saveChartFile } from './chart-files.js';
import { renderText, type TextRenderOptions } from './render-text.js';
import type { LocalWorkspace, LocalWorkspaceEvent } from './local-workspace.js';

/** Messages whose last printed text is remembered; an older one's next update is simply printed. */
const REMEMBERED_MESSAGES = 500;

/**
 * Prints the bot's messages of one local channel to a terminal. A terminal cannot edit
 * printed lines, so an update is printed as a new line — only when its text changed (a job
 * re-posting the same progress prints once); the job id in it says which message it updates.
 * With `chartsDir`, images (training curves, confusion matrices) are saved there as
 * PNG files and the line names the file. What the bot posted before the terminal
 * opened (jobs a restart settled, say) is printed first.
 */
export function printToTerminal(workspace: LocalWorkspace, write: (text: string) => void, channelId: string, chartsDir?: string): () => void {
  const options: TextRenderOptions = chartsDir ? { imagePath: (block) => saveChartFile(chartsDir, block.png, block.title ?? block.alt) } : {};
  const printed = new LRUCache<string, string>({ max: REMEMBERED_MESSAGES });
  const print = (event: LocalWorkspaceEvent) => {
    const { entry } = event;
    if (entry.author !== 'opsbot' || entry.conversation.channelId !== channelId) return;
    // Compared before rendering, which saves a message's images as files; image bytes are left out.
    const key = JSON.stringify(entry.message, (name, value: unknown) => (name === 'png' ? undefined : value));
    if (event.type === 'updated' && printed.get(entry.ref) === key) return;
    printed.set(entry.ref, key);
    write(`opsbot> ${renderText(entry.message, options).replace(/\n/g, '\n        ')}\n`);
  };
  for (const entry of workspace.history()) print({ type: 'posted', entry });
  return workspace.subscribe(print);
}
