import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../../../workers/training/dataset/csv.js';
import type { TrainingRequest } from '../../../../workers/training/index.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** 300 SpamAssassin emails (150 ham, 150 spam) cut to 600 characters, with their group; see scripts/export-spam-assassin.ts. */
export const SPAM_FIXTURE = 'test/fixtures/spam-small.csv';

export function fixtureRequest(overrides: Partial<TrainingRequest> = {}): TrainingRequest {
  return { datasetPath: SPAM_FIXTURE, workDir: REPO_ROOT, mode: 'full', epochs: 8, seed: 42, ...overrides };
}

export interface FixtureRow {
  text: string;
  label: string;
  group: string;
}

export function fixtureRows(): FixtureRow[] {
  const [, ...records] = parseCsv(readFileSync(join(REPO_ROOT, SPAM_FIXTURE), 'utf8'));
  return records.map(({ fields: [text = '', label = '', group = ''] }) => ({ text, label, group }));
}

export const csvField = (value: string) => `"${value.replace(/"/g, '""')}"`;

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return `${header.join(',')}\n${rows.map((row) => row.map(csvField).join(',')).join('\n')}\n`;
}

/** A temporary directory and a way to remove it. */
export function tempDir(prefix = 'opsbot-training-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeIn(dir: string, name: string, content: string | Uint8Array): string {
  writeFileSync(join(dir, name), content);
  return name;
}
