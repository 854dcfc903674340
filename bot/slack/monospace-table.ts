/** Widest a column may be in a monospace table, so one long cell does not push the rest off screen. */
const MAX_COLUMN_WIDTH = 40;

function fit(cell: string, width: number): string {
  const flat = cell.replace(/\s+/g, ' ');
  return (flat.length > width ? `${flat.slice(0, width - 1)}…` : flat).padEnd(width);
}

/** Lines of an aligned plain-text table: header, rule, rows (unescaped; the caller escapes). */
export function monospaceTableLines(columns: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const count = Math.max(columns.length, ...rows.map((row) => row.length));
  const widths = Array.from({ length: count }, (_, i) =>
    Math.max(1, Math.min(MAX_COLUMN_WIDTH, Math.max((columns[i] ?? '').length, ...rows.map((row) => (row[i] ?? '').replace(/\s+/g, ' ').length)))),
  );
  const line = (cells: readonly string[]) =>
    widths
      .map((width, i) => fit(cells[i] ?? '', width))
      .join('  ')
      .trimEnd();
  return [line(columns), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)];
}
