import { PermanentJobError } from '../../../core/index.js';
import { CsvSyntaxError, parseCsv, type CsvRecord } from './csv.js';
import type { DatasetTable } from './dataset-table.js';

const SEPARATORS = [',', ';', '\t'] as const;
const SEPARATOR_NAMES: Record<(typeof SEPARATORS)[number], string> = { ',': 'commas', ';': 'semicolons', '\t': 'tabs' };

/**
 * The field separator, read off the header line: a comma unless the header has none and
 * does have semicolons or tabs (as spreadsheets in many locales save "CSV").
 */
function separatorOf(text: string): (typeof SEPARATORS)[number] {
  const header = text.slice(0, text.search(/\r?\n|$/));
  if (header.includes(',')) return ',';
  return header.includes(';') ? ';' : header.includes('\t') ? '\t' : ',';
}

/** A CSV file with a header row; fields are separated by commas, or by semicolons or tabs when the header is. */
export function readCsvTable(text: string, path: string): DatasetTable {
  const separator = separatorOf(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  let records: CsvRecord[];
  try {
    records = parseCsv(text, separator);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    throw new PermanentJobError(`dataset ${path}: ${error.message}`);
  }
  const header = records[0];
  if (!header) throw new PermanentJobError(`dataset ${path} is empty; it needs a header row naming its columns, e.g. text,label`);
  const columns = header.fields.map((name) => name.trim());
  const body = records.slice(1);
  const rows = body.map((record, i) => {
    if (record.fields.length !== columns.length) {
      throw new PermanentJobError(
        `dataset ${path}, row ${i + 1} (line ${record.line}): ${record.fields.length} fields, but the header has ${columns.length} (${columns.join(separator)}); quote fields that contain ${SEPARATOR_NAMES[separator]}`,
      );
    }
    return Object.fromEntries(columns.map((name, c) => [name, record.fields[c]]));
  });
  return { columns, rows, locate: (i) => `row ${i + 1} (line ${body[i]?.line ?? '?'})` };
}
