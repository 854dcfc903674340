import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const POSITIVE = ['fast', 'reliable', 'great', 'smooth', 'stable', 'helpful', 'clean', 'polished'];
const NEGATIVE = ['slow', 'buggy', 'broken', 'laggy', 'awful', 'confusing', 'unstable', 'clunky'];
const FILLER = ['the', 'app', 'build', 'release', 'dashboard', 'today', 'really', 'very', 'is', 'was', 'feels', 'api'];

/** Writes a reproducible two-label CSV; `rows` sets how long training takes. */
export function writeSentimentCsv(dir: string, rows: number, name = 'sentiment.csv'): string {
  const lines = ['text,label'];
  for (let i = 0; i < rows; i++) {
    const positive = i % 2 === 0;
    const words = positive ? POSITIVE : NEGATIVE;
    const text = Array.from({ length: 12 }, (_, j) => (j % 3 === 0 ? words[(i + j) % words.length] : FILLER[(i * 3 + j) % FILLER.length])).join(' ');
    lines.push(`"${text}",${positive ? 'positive' : 'negative'}`);
  }
  writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  return name;
}

/** The sentiment CSV with every sixth label flipped, so trials' validation losses differ instead of all reaching ~0. */
export function writeNoisySentimentCsv(dir: string, rows: number, name = 'sentiment.csv'): string {
  const path = join(dir, writeSentimentCsv(dir, rows, name));
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const flip = (line: string) => (line.endsWith(',positive') ? line.replace(/,positive$/, ',negative') : line.replace(/,negative$/, ',positive'));
  writeFileSync(path, `${lines.map((line, i) => (i > 0 && i % 6 === 0 ? flip(line) : line)).join('\n')}\n`);
  return name;
}
