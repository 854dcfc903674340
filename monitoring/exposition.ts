/** One sample of a Prometheus text-format page. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?\s*$/;
const LABEL = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/y;

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function number(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

function labels(text: string | undefined): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  if (!text) return out;
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (!match) return text.slice(LABEL.lastIndex).trim() === '' ? out : undefined;
    out[match[1] as string] = unescape(match[2] as string);
  }
  return out;
}

/**
 * The samples of a text-format (0.0.4) page whose names `keep` accepts; comments and lines that are not samples are
 * skipped. Hand-written: the evaluator needs only name, labels and value per sample, and the one parser on npm
 * (parse-prometheus-text-format 1.1.1) merges a histogram's series across label sets and drops their `_sum`/`_count`.
 */
export function parseSamples(text: string, keep: (name: string) => boolean = () => true): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match || !keep(match[1] as string)) continue;
    const parsed = labels(match[2]);
    const value = number(match[3] as string);
    if (parsed && !Number.isNaN(value)) samples.push({ name: match[1] as string, labels: parsed, value });
  }
  return samples;
}

/**
 * A /metrics page, or undefined when it cannot be read within `timeoutMs` (refused, an error status, too slow): every
 * reader of the model servers' pages (the router merging its replicas, `status`'s cache hit ratio, the embedded
 * evaluator) leaves such a page out rather than failing.
 */
export async function readMetricsPage(url: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const answer = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return answer.ok ? await answer.text() : undefined;
  } catch {
    return undefined;
  }
}
