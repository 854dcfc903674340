import type { Mention, Message, MessageBlock } from '../../core/index.js';

const TONE_MARK: Record<Message['tone'], string> = { info: '', success: '✅ ', warning: '⚠️  ', error: '❌ ' };

const MAX_CELL_WIDTH = 60;
/** A longer cell is wrapped onto this many lines at most (help's option meanings fit), then cut. */
const MAX_CELL_LINES = 4;

/**
 * A cell's lines within its column's width, broken between words where it can be; one
 * still longer than MAX_CELL_LINES lines is cut, ending in "…" so a reader knows there is more.
 */
function wrapCell(cell: string, width: number): string[] {
  const lines: string[] = [];
  let rest = cell;
  while (rest.length > width && lines.length < MAX_CELL_LINES) {
    const space = rest.lastIndexOf(' ', width);
    const cut = space > 0 ? space : width;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(cut).trimStart();
  }
  if (lines.length < MAX_CELL_LINES) return [...lines, rest];
  if (rest.length === 0) return lines;
  const last = lines.pop() ?? '';
  return [...lines, `${last.slice(0, width - 1)}…`];
}

function renderTable(columns: string[], rows: string[][]): string[] {
  const widths = columns.map((column, i) => Math.min(MAX_CELL_WIDTH, Math.max(column.length, ...rows.map((row) => (row[i] ?? '').length))));
  const lines = (cells: string[]): string[] => {
    const wrapped = cells.map((cell, i) => wrapCell(cell, widths[i] ?? 0));
    const height = Math.max(1, ...wrapped.map((cell) => cell.length));
    return Array.from({ length: height }, (_, row) =>
      wrapped
        .map((cell, i) => (cell[row] ?? '').padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  };
  return [...lines(columns), ...lines(widths.map((w) => '─'.repeat(w))), ...rows.flatMap(lines)];
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
    case 'links':
      // A terminal links nothing, so every URL is shown as it came, ready to copy.
      return block.links.map((link) => `  ${link.label}: ${link.url}`);
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
