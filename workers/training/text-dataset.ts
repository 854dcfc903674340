import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PermanentJobError } from '../../core/index.js';
import { parseCsv } from './csv.js';

export interface TextExample {
  text: string;
  label: string;
}

export interface TextDataset {
  path: string;
  hash: string;
  examples: TextExample[];
  labels: string[];
}

const MAX_DATASET_BYTES = 200 * 1024 * 1024;

/**
 * Loads a CSV dataset with a header row naming a `text` and a `label` column.
 * Every problem is reported with the row or column to fix, and is permanent (no retry helps).
 */
export async function loadTextDataset(path: string, baseDir: string): Promise<TextDataset> {
  const absolute = resolve(baseDir, path);
  const info = await stat(absolute).catch(() => undefined);
  if (!info?.isFile()) throw new PermanentJobError(`dataset ${path} not found (looked at ${absolute}); check the path`);
  if (info.size > MAX_DATASET_BYTES) throw new PermanentJobError(`dataset ${path} is ${info.size} bytes; the limit is ${MAX_DATASET_BYTES}`);
  if (!path.toLowerCase().endsWith('.csv')) {
    throw new PermanentJobError(`dataset ${path} is not a .csv file; datasets are CSV files with a header row naming text and label columns`);
  }
  const raw = await readFile(absolute);
  const rows = parseCsv(raw.toString('utf8'));
  const header = rows[0]?.map((h) => h.trim().toLowerCase());
  if (!header) throw new PermanentJobError(`dataset ${path} is empty`);
  const textColumn = header.indexOf('text');
  const labelColumn = header.indexOf('label');
  if (textColumn < 0 || labelColumn < 0) {
    const missing = [textColumn < 0 ? '"text"' : '', labelColumn < 0 ? '"label"' : ''].filter(Boolean).join(' and ');
    throw new PermanentJobError(`dataset ${path} has no ${missing} column; its header is: ${rows[0]?.join(',')}`);
  }
  const examples: TextExample[] = [];
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i] as string[];
    const text = row[textColumn]?.trim();
    const label = row[labelColumn]?.trim();
    if (!text) throw new PermanentJobError(`dataset ${path}, row ${i + 1}: the text column is empty`);
    if (!label) throw new PermanentJobError(`dataset ${path}, row ${i + 1}: the label column is empty`);
    examples.push({ text, label });
  }
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (examples.length < 10) throw new PermanentJobError(`dataset ${path} has ${examples.length} rows; at least 10 are needed to train and validate`);
  if (labels.length < 2) throw new PermanentJobError(`dataset ${path} has only one label (${labels[0]}); a classifier needs at least two`);
  return { path, hash: createHash('sha256').update(raw).digest('hex'), examples, labels };
}
