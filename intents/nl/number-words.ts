import type { Word } from './words.js';

const UNITS: ReadonlyMap<string, number> = new Map([
  ['zero', 0], ['none', 0], ['one', 1], ['a', 1], ['an', 1], ['single', 1], ['two', 2], ['three', 3], ['four', 4],
  ['five', 5], ['six', 6], ['seven', 7], ['eight', 8], ['nine', 9], ['ten', 10], ['eleven', 11], ['twelve', 12],
  ['thirteen', 13], ['fourteen', 14], ['fifteen', 15], ['sixteen', 16], ['seventeen', 17], ['eighteen', 18],
  ['nineteen', 19], ['dozen', 12],
]);
const TENS: ReadonlyMap<string, number> = new Map([
  ['twenty', 20], ['thirty', 30], ['forty', 40], ['fourty', 40], ['fifty', 50], ['sixty', 60], ['seventy', 70],
  ['eighty', 80], ['ninety', 90],
]);
const DIGITS = /^\d{1,9}$/;

export interface NumberAt {
  readonly value: number;
  /** Index of the first word and one past the last. */
  readonly start: number;
  readonly end: number;
  /** Spelled with "a"/"an", which counts only before a unit ("a replica"), never on its own. */
  readonly article: boolean;
}

/**
 * The number that starts at word `i`: digits ("4"), words ("four", "twenty five", "twenty-five",
 * "a hundred", "a couple of", "half a dozen"), or undefined.
 */
export function numberAt(words: readonly Word[], i: number): NumberAt | undefined {
  const word = words[i];
  if (word === undefined) return undefined;
  const lower = word.lower;
  if (DIGITS.test(lower)) return { value: Number(lower), start: i, end: i + 1, article: false };
  if (lower === 'half' && words[i + 1]?.lower === 'a' && words[i + 2]?.lower === 'dozen') return { value: 6, start: i, end: i + 3, article: false };
  if ((lower === 'a' || lower === 'an') && words[i + 1]?.lower === 'couple') {
    const end = words[i + 2]?.lower === 'of' ? i + 3 : i + 2;
    return { value: 2, start: i, end, article: false };
  }
  if ((lower === 'a' || lower === 'one') && (words[i + 1]?.lower === 'hundred' || words[i + 1]?.lower === 'dozen')) {
    return { value: words[i + 1]?.lower === 'hundred' ? 100 : 12, start: i, end: i + 2, article: false };
  }
  const hyphen = /^([a-z]+)-([a-z]+)$/.exec(lower);
  if (hyphen && TENS.has(hyphen[1]!) && UNITS.has(hyphen[2]!)) {
    return { value: TENS.get(hyphen[1]!)! + UNITS.get(hyphen[2]!)!, start: i, end: i + 1, article: false };
  }
  const tens = TENS.get(lower);
  if (tens !== undefined) {
    const unit = words[i + 1] === undefined ? undefined : UNITS.get(words[i + 1]!.lower);
    if (unit !== undefined && unit > 0 && unit < 10 && words[i + 1]!.lower !== 'a' && words[i + 1]!.lower !== 'an') {
      return { value: tens + unit, start: i, end: i + 2, article: false };
    }
    return { value: tens, start: i, end: i + 1, article: false };
  }
  if (lower === 'hundred') return { value: 100, start: i, end: i + 1, article: false };
  const unit = UNITS.get(lower);
  if (unit !== undefined) return { value: unit, start: i, end: i + 1, article: lower === 'a' || lower === 'an' || lower === 'none' };
  return undefined;
}
