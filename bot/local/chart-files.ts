import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** "Training curve of sentiment (j-4f9k2a7q)" → "training-curve-of-sentiment-j-4f9k2a7q": a file name a shell needs no quotes for. */
function fileNameOf(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 100) || 'chart';
}

/**
 * A terminal cannot show a picture, so its charts are written to files it can name:
 * `<dir>/<title>.png`, the same name for the same chart, so asking again overwrites it.
 * Written synchronously: the line that names the file is printed right after.
 */
export function saveChartFile(dir: string, png: Uint8Array, title: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${fileNameOf(title)}.png`);
  writeFileSync(path, png);
  return path;
}
