import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { PermanentJobError } from '../../../core/index.js';
import { MissingColumnsError, resolveColumns, type DatasetColumns } from './dataset-columns.js';
import type { DatasetTable } from './dataset-table.js';
import { readCsvTable } from './read-csv-table.js';
import { readJsonlTable, readJsonTable } from './read-json-table.js';
import { readParquetTable } from './read-parquet-table.js';
import { parseSplitName, type SplitName } from './split-name.js';

export interface TextExample {
  text: string;
  label: string;
  /** Set when the file's split column names one; otherwise the seeded split decides. */
  split?: SplitName;
}

export interface TextDataset {
  path: string;
  /** sha256 of the file's bytes. */
  hash: string;
  columns: DatasetColumns;
  examples: TextExample[];
  /** Sorted. */
  labels: string[];
}

export const DATASET_FORMATS = ['.csv', '.json', '.jsonl', '.parquet'] as const;
const MAX_DATASET_BYTES = 200 * 1024 * 1024;

/**
 * What a dataset is loaded for. Training splits it three ways and must tell labels
 * apart; evaluation only scores examples, and the metrics handle a single class.
 */
export type DatasetPurpose = 'train' | 'evaluate';

const MINIMUM_SIZE: Record<DatasetPurpose, { rows: number; labels: number; why: string }> = {
  train: { rows: 10, labels: 2, why: 'to train, validate and test' },
  evaluate: { rows: 1, labels: 1, why: 'to evaluate on' },
};

export interface LoadDatasetOptions {
  /** @defaultValue 'train' */
  purpose?: DatasetPurpose;
}

function formatOf(path: string): (typeof DATASET_FORMATS)[number] {
  const format = extname(path).toLowerCase();
  const known = DATASET_FORMATS.find((f) => f === format);
  if (!known) throw new PermanentJobError(`dataset ${path}: unknown format "${format || '(no extension)'}"; use ${DATASET_FORMATS.join(', ')}`);
  return known;
}

async function readTable(bytes: Buffer, path: string): Promise<DatasetTable> {
  switch (formatOf(path)) {
    case '.csv':
      return readCsvTable(bytes.toString('utf8'), path);
    case '.json':
      return readJsonTable(bytes.toString('utf8'), path);
    case '.jsonl':
      return readJsonlTable(bytes.toString('utf8'), path);
    case '.parquet':
      return readParquetTable(bytes, path);
  }
}

function cell(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * `path` resolved from `baseDir`. The action schema already refuses absolute paths and
 * "..", but this is where a file is read, so a path leading out of `baseDir` is refused
 * here too, whichever way it arrived.
 */
function insideBaseDir(path: string, baseDir: string): string {
  const absolute = resolve(baseDir, path);
  const fromBase = relative(resolve(baseDir), absolute);
  if (fromBase === '..' || fromBase.startsWith(`..${sep}`) || isAbsolute(fromBase)) {
    throw new PermanentJobError(`dataset ${path} is outside opsbot's working directory; give a path relative to it, such as data/sentiment.csv`);
  }
  return absolute;
}

/** The absolute path of a dataset file that can be read, or a permanent error saying why not. */
export async function locateDataset(path: string, baseDir: string): Promise<string> {
  const absolute = insideBaseDir(path, baseDir);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) throw new PermanentJobError(`dataset ${path} not found (looked at ${absolute}); check the path`);
  if (info.isDirectory()) {
    throw new PermanentJobError(`dataset ${path} is a directory, not a file; name a file in it (${DATASET_FORMATS.join(', ')}), such as ${path.replace(/\/$/, '')}/train.csv`);
  }
  if (!info.isFile()) throw new PermanentJobError(`dataset ${path} is not a regular file; name a ${DATASET_FORMATS.join(', ')} file`);
  formatOf(path);
  if (info.size > MAX_DATASET_BYTES) throw new PermanentJobError(`dataset ${path} is ${info.size} bytes; the limit is ${MAX_DATASET_BYTES}`);
  return absolute;
}

/** A dataset's problems at once ("has no label column; it also has 2 rows…"), so one fix-and-retry is enough. */
function refuseAll(path: string, problems: readonly string[]): void {
  const [first, ...more] = problems;
  if (first === undefined) return;
  throw new PermanentJobError([`dataset ${path} ${first}`, ...more.map((problem) => `it also ${problem}`)].join('; '));
}

function columnProblem(columns: readonly string[], path: string): { columns?: DatasetColumns; problem?: string } {
  try {
    return { columns: resolveColumns(columns, path) };
  } catch (error) {
    if (!(error instanceof MissingColumnsError)) throw error;
    return { problem: error.problem };
  }
}

/**
 * Loads a text-classification dataset (CSV, JSON array, JSON Lines or Parquet) and
 * checks its schema. Every problem names the row or column to fix and is permanent
 * (no retry helps); missing columns and too few rows are reported together.
 */
export async function loadTextDataset(path: string, baseDir: string, { purpose = 'train' }: LoadDatasetOptions = {}): Promise<TextDataset> {
  const absolute = await locateDataset(path, baseDir);
  const bytes = await readFile(absolute);
  const table = await readTable(bytes, path);
  const needed = MINIMUM_SIZE[purpose];
  const tooFew = (rows: number) => (rows < needed.rows ? [`has ${rows} ${rows === 1 ? 'row' : 'rows'}; at least ${needed.rows} ${needed.rows === 1 ? 'is' : 'are'} needed ${needed.why}`] : []);
  const resolved = columnProblem(table.columns, path);
  if (!resolved.columns) refuseAll(path, [resolved.problem as string, ...tooFew(table.rows.length)]);
  const columns = resolved.columns as DatasetColumns;
  const examples = table.rows.map((row, i): TextExample => {
    const where = `dataset ${path}, ${table.locate(i)}`;
    const rawText = row[columns.text];
    if (rawText !== null && rawText !== undefined && typeof rawText !== 'string') {
      throw new PermanentJobError(`${where}: column "${columns.text}" holds ${typeof rawText} ${JSON.stringify(rawText)?.slice(0, 40)}, not text`);
    }
    const text = cell(rawText);
    if (!text) throw new PermanentJobError(`${where}: column "${columns.text}" is empty`);
    const label = cell(row[columns.label]);
    if (!label) throw new PermanentJobError(`${where}: column "${columns.label}" is empty`);
    const splitValue = columns.split === undefined ? undefined : cell(row[columns.split]);
    if (!splitValue) return { text, label };
    const split = parseSplitName(splitValue);
    if (!split) throw new PermanentJobError(`${where}: column "${columns.split}" is "${splitValue}"; use train, validation or test (or leave it empty)`);
    return { text, label, split };
  });
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  // An empty set is already refused for its row count; naming "only one label (undefined)" beside it would be wrong.
  const oneLabel = labels.length > 0 && labels.length < needed.labels ? [`has only one label in column "${columns.label}" (${labels[0]}); a classifier needs at least two to train`] : [];
  refuseAll(path, [...tooFew(examples.length), ...oneLabel]);
  return { path, hash: createHash('sha256').update(bytes).digest('hex'), columns, examples, labels };
}
