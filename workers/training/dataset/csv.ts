import { CsvError, parse } from 'csv-parse/sync';

/** One CSV record and the line it starts on (1-based), so errors can point at it. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** A CSV file that cannot be read as written; `message` says what is wrong where, and how to fix it. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

const LF = 0x0a;
const CR = 0x0d;

/** Counts lines through a buffer front to back, so each record's first line costs only the bytes since the last. */
class LineCounter {
  private position = 0;
  private line = 1;

  constructor(private readonly bytes: Buffer) {}

  /** The line of the first non-blank byte at or after `offset` (blank lines before a record are skipped). */
  lineOfRecordAt(offset: number): number {
    let start = offset;
    while (start < this.bytes.length && (this.bytes[start] === LF || this.bytes[start] === CR)) start++;
    for (; this.position < start; this.position++) if (this.bytes[this.position] === LF) this.line++;
    return this.line;
  }
}

function syntaxError(error: CsvError, line: number): CsvSyntaxError {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new CsvSyntaxError(line, `a quote opened on line ${line} is never closed; close it, and write a quote inside a quoted field as two ("")`);
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new CsvSyntaxError(
        line,
        `line ${line}: a quoted field goes on after its closing quote; put the whole field inside the quotes, and write a quote inside it as two ("")`,
      );
    case 'INVALID_OPENING_QUOTE':
      return new CsvSyntaxError(line, `line ${line}: a quote inside a field that does not start with one; put the whole field in quotes, and write each quote inside it as two ("")`);
    default:
      return new CsvSyntaxError(line, `line ${line}: ${error.message}`);
  }
}

/**
 * Parses RFC 4180 CSV with csv-parse (quoted fields with newlines, doubled quotes,
 * CRLF or LF, a BOM); blank lines are skipped. Each record carries the line it starts
 * on, counted from the bytes csv-parse consumed, so a quoted multi-line field does not
 * shift the lines after it. `delimiter` is one character: ",", ";" or a tab.
 */
export function parseCsv(text: string, delimiter = ','): CsvRecord[] {
  const bytes = Buffer.from(text, 'utf8');
  const lines = new LineCounter(bytes);
  const records: CsvRecord[] = [];
  let consumed = 0;
  try {
    parse(bytes, {
      bom: true,
      delimiter,
      skip_empty_lines: true,
      relax_column_count: true,
      on_record: (fields: string[], context) => {
        records.push({ fields, line: lines.lineOfRecordAt(consumed) });
        consumed = context.bytes;
        return null;
      },
    });
  } catch (error) {
    if (error instanceof CsvError) throw syntaxError(error, lines.lineOfRecordAt(consumed));
    throw error;
  }
  return records;
}
