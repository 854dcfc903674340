import type { MessageBlock } from '../../../core/index.js';

/** A block that can be cut down to its first `n` units (characters, rows or fields). */
export interface Shrinkable {
  units: number;
  unitName: string;
  keep(n: number): MessageBlock;
}

export function shrinkable(block: MessageBlock): Shrinkable | undefined {
  switch (block.type) {
    case 'text':
    case 'context': {
      const chars = Array.from(block.text);
      return { units: chars.length, unitName: 'characters', keep: (n) => ({ ...block, text: `${chars.slice(0, n).join('')}…` }) };
    }
    case 'table':
      return { units: block.rows.length, unitName: 'rows', keep: (n) => ({ ...block, rows: block.rows.slice(0, n) }) };
    case 'fields':
      return { units: block.fields.length, unitName: 'fields', keep: (n) => ({ ...block, fields: block.fields.slice(0, n) }) };
    default:
      return undefined;
  }
}

/** The largest n in [0, max] for which `fits(n)` holds, assuming fits is monotone; -1 when none does. */
export function largestFitting(max: number, fits: (n: number) => boolean): number {
  let lo = -1;
  let hi = max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi + 1) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
