/** One word of a natural-language sentence, with the punctuation around it taken off. */
export interface Word {
  /** As typed, without surrounding punctuation or a possessive "'s". */
  readonly text: string;
  readonly lower: string;
  /** Index of this word in the sentence. */
  readonly index: number;
  /** The word ended a clause (a comma, full stop, colon…): "in prod, restore" — prod is not followed by "restore" as one phrase. */
  readonly endsClause: boolean;
  /** It was typed with "'s" ("Dave's footprints", also "what's"): an owner, as often as not a person. */
  readonly possessive: boolean;
}

const LEADING = /^[("'“‘«\[{*_`]+/;
const TRAILING = /[)"'”’»\]}*_`.,!?;:]+$/;
const CLAUSE_END = /[.,!?;:]$/;
const POSSESSIVE = /['’]s$/i;
/** Chat shorthand that stands for a word people would otherwise type. */
const SHORTHAND: ReadonlyMap<string, string> = new Map([
  ['->', 'to'],
  ['=>', 'to'],
  ['→', 'to'],
  ['w/', 'with'],
  ['w/o', 'without'],
  ['&', 'and'],
  ['pls', 'please'],
  ['plz', 'please'],
  ['u', 'you'],
]);

/**
 * Splits a sentence into words the slot reader can look at: punctuation around a word and a
 * possessive are dropped ("fraud's" → fraud), but what is inside a word stays, so paths
 * (data/x.csv), job ids (j-4f9k2a7q), names (fraud-detector) and versions (v3, fraud:3) survive.
 */
export function splitWords(text: string): Word[] {
  const words: Word[] = [];
  for (const piece of text.split(/\s+/)) {
    if (piece === '') continue;
    const short = SHORTHAND.get(piece.toLowerCase());
    if (short !== undefined) {
      words.push({ text: short, lower: short, index: words.length, endsClause: false, possessive: false });
      continue;
    }
    const endsClause = CLAUSE_END.test(piece);
    let core = piece.replace(LEADING, '').replace(TRAILING, '');
    const possessive = POSSESSIVE.test(core) && core.length > 2;
    if (possessive) core = core.slice(0, -2);
    if (core === '') {
      const last = words[words.length - 1];
      if (last && endsClause) words[words.length - 1] = { ...last, endsClause: true };
      continue;
    }
    words.push({ text: core, lower: core.toLowerCase(), index: words.length, endsClause, possessive });
  }
  return words;
}
