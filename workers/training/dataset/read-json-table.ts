import { PermanentJobError } from '../../../core/index.js';
import type { DatasetTable } from './dataset-table.js';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function columnsOf(rows: ReadonlyArray<Record<string, unknown>>): string[] {
  const columns = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) columns.add(key);
  return [...columns];
}

/** A JSON file holding an array of objects, one per row. */
export function readJsonTable(text: string, path: string): DatasetTable {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PermanentJobError(`dataset ${path} is not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new PermanentJobError(`dataset ${path} must be a JSON array of objects such as {"text": "…", "label": "…"}`);
  parsed.forEach((item, i) => {
    if (!isRecord(item)) throw new PermanentJobError(`dataset ${path}, row ${i + 1}: expected an object such as {"text": "…", "label": "…"}, got ${JSON.stringify(item)?.slice(0, 60)}`);
  });
  const rows = parsed as Array<Record<string, unknown>>;
  return { columns: columnsOf(rows), rows, locate: (i) => `row ${i + 1}` };
}

/** JSON Lines: one object per line; blank lines are skipped. */
export function readJsonlTable(text: string, path: string): DatasetTable {
  const rows: Array<Record<string, unknown>> = [];
  const lines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let item: unknown;
    try {
      item = JSON.parse(line);
    } catch (error) {
      throw new PermanentJobError(`dataset ${path}, line ${i + 1}: not valid JSON (${(error as Error).message})`);
    }
    if (!isRecord(item)) throw new PermanentJobError(`dataset ${path}, line ${i + 1}: expected an object such as {"text": "…", "label": "…"}`);
    rows.push(item);
    lines.push(i + 1);
  });
  return { columns: columnsOf(rows), rows, locate: (i) => `row ${i + 1} (line ${lines[i] ?? '?'})` };
}
