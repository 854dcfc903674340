import type { Mention, Message, MessageBlock } from '../../core/index.js';

const TONE_MARK: Record<Message['tone'], string> = { info: '', success: '✅ ', warning: '⚠️  ', error: '❌ ' };

const MAX_CELL_WIDTH = 60;

/** A cell cut to its column's width ends in "…", so a reader knows there is more. */
function clip(cell: string, width: number): string {
  return cell.length <= width ? cell : `${cell.slice(0, width - 1)}…`;
}

function renderTable(columns: string[], rows: string[][]): string[] {
  const widths = columns.map((column, i) => Math.min(MAX_CELL_WIDTH, Math.max(column.length, ...rows.map((row) => (row[i] ?? '').length))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => clip(cell, widths[i] ?? 0).padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)];
}

function withMentions(text: string, mentions: Mention[] | undefined): string {
  let result = text;
  for (const mention of mentions ?? []) result = result.split(`<@${mention.userId}>`).join(`@${mention.displayName}`);
  return result;
}

export interface TextRenderOptions {
  /** Where an image was saved, to name it instead of only its size. */
  imagePath?(block: Extract<MessageBlock, { type: 'image' }>): string;
}

function renderBlock(block: MessageBlock, options: TextRenderOptions): string[] {
  switch (block.type) {
    case 'text':
      return withMentions(block.text, block.mentions).split('\n');
    case 'fields':
      return block.fields.map((field) => `  ${field.label}: ${field.value}`);
    case 'table':
      return renderTable(block.columns, block.rows).map((line) => `  ${line}`);
    case 'context':
      return [`  (${block.text})`];
    case 'buttons':
      return [`  ${block.buttons.map((button) => `[${button.label}: type "${button.command}"]`).join('  ')}`];
    case 'select':
      return [`  ${block.placeholder}: ${block.options.map((option) => `"${option.command}"`).join(' | ')}`];
    case 'image':
      return options.imagePath
        ? [`  [image: ${block.title ?? block.alt}, saved to ${options.imagePath(block)}]`]
        : [`  [image: ${block.title ?? block.alt} (${block.png.byteLength} bytes PNG)]`];
  }
}

/** Plain text for the terminal: buttons become the command to type. */
export function renderText(message: Message, options: TextRenderOptions = {}): string {
  const lines = message.blocks.flatMap((block) => renderBlock(block, options));
  if (lines.length === 0) lines.push(message.text);
  lines[0] = `${TONE_MARK[message.tone]}${lines[0]}`;
  return lines.join('\n');
}
