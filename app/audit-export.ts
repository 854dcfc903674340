import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { AuditRecord } from '../core/index.js';
import { InvalidInputError } from '../core/index.js';

export const AUDIT_EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

/**
 * CSV columns: every field of a record, in the order the chain hashes them, so an auditor can
 * recompute each hash from a row. `args` is its JSON text.
 */
export const AUDIT_CSV_COLUMNS = [
  'seq',
  'at',
  'prevHash',
  'hash',
  'platform',
  'workspace',
  'userId',
  'userName',
  'channelId',
  'threadId',
  'text',
  'action',
  'args',
  'outcome',
  'jobId',
  'attempt',
  'durationMs',
  'detail',
] as const satisfies ReadonlyArray<keyof AuditRecord>;

function csvRow(record: AuditRecord): Record<string, unknown> {
  return { ...record, args: record.args === undefined ? undefined : JSON.stringify(record.args) };
}

async function* jsonLines(records: AsyncIterable<AuditRecord>): AsyncGenerator<string> {
  for await (const record of records) yield `${JSON.stringify(record)}\n`;
}

async function* csvRows(records: AsyncIterable<AuditRecord>): AsyncGenerator<Record<string, unknown>> {
  for await (const record of records) yield csvRow(record);
}

/**
 * Writes records as they come (one page in memory), with backpressure. CSV is RFC 4180 (CRLF rows,
 * fields with commas, quotes or newlines quoted, quotes doubled); an absent field is an empty cell
 * and an empty text a quoted `""`, so the two read back apart and every row re-hashes.
 */
export async function writeAuditExport(records: AsyncIterable<AuditRecord>, format: AuditExportFormat, output: Writable): Promise<void> {
  if (format === 'jsonl') {
    await pipeline(Readable.from(jsonLines(records)), output);
    return;
  }
  const csv = stringify({
    header: true,
    columns: [...AUDIT_CSV_COLUMNS],
    record_delimiter: 'windows',
    // A lone LF or CR is a line break to most readers, so it is quoted too (csv-stringify quotes only the CRLF delimiter).
    quoted_match: [/^$/, /[\r\n]/],
  });
  await pipeline(Readable.from(csvRows(records)), csv, output);
}

/**
 * Writes the export to `path` only when it is complete: a failed or interrupted export leaves no
 * file an auditor could mistake for the whole log.
 */
export async function writeAuditExportFile(records: AsyncIterable<AuditRecord>, format: AuditExportFormat, path: string): Promise<void> {
  const partial = join(dirname(path), `.${basename(path)}.${randomUUID().slice(0, 8)}.partial`);
  try {
    await writeAuditExport(records, format, createWriteStream(partial, { flags: 'wx' }));
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code && ['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EISDIR', 'EROFS', 'ENOSPC'].includes(code)) {
      throw new InvalidInputError(`could not write the export to ${path} (${code}); nothing was written there`);
    }
    throw error;
  }
}
