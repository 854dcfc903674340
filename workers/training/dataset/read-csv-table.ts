import { PermanentJobError } from '../../../core/index.js';
import { parseCsv, UnclosedQuoteError, type CsvRecord } from './csv.js';
import type { DatasetTable } from './dataset-table.js';

/** A CSV file with a header row. */
export function readCsvTable(text: string, path: string): DatasetTable {
  let records: CsvRecord[];
  try {
    records = parseCsv(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    if (!(error instanceof UnclosedQuoteError)) throw error;
    throw new PermanentJobError(`dataset ${path}: ${error.message}; close it, and write a quote inside a quoted field as two ("")`);
  }
  const header = records[0];
  if (!header) throw new PermanentJobError(`dataset ${path} is empty; it needs a header row naming its columns, e.g. text,label`);
  const columns = header.fields.map((name) => name.trim());
  const body = records.slice(1);
  const rows = body.map((record, i) => {
    if (record.fields.length !== columns.length) {
      throw new PermanentJobError(
        `dataset ${path}, row ${i + 1} (line ${record.line}): ${record.fields.length} fields, but the header has ${columns.length} (${columns.join(',')}); quote fields that contain commas`,
      );
    }
    return Object.fromEntries(columns.map((name, c) => [name, record.fields[c]]));
  });
  return { columns, rows, locate: (i) => `row ${i + 1} (line ${body[i]?.line ?? '?'})` };
}
