/**
 * The English words a cue-typo lookup must leave alone: words people type meaning themselves that
 * happen to sit one edit from a cue ("purse" / pulse, "tread" / trend, "alice" / alive). From the
 * word list of an-array-of-english-words, kept only where the Hunspell en dictionary (dictionary-en)
 * has the word or its stem, so rare words stay possible typos ("tunning" is tuning mistyped). Both
 * are development dependencies: the list is written to intents/nl/english-near-cues.ts.
 */
import { createRequire } from 'node:module';
import hunspell from 'dictionary-en';
import { stemmer } from 'stemmer';
import { editDistance } from '../../core/index.js';
import { CUE_LIST, CUE_WORDS, cueTypoTarget, exactCueOf } from '../nl/cue-words.js';
import { STOP_WORDS } from '../nl/lexicon.js';

const require = createRequire(import.meta.url);

/** Hunspell's stems, lower case (names included: "Alice/M"). */
function dictionaryStems(): Set<string> {
  const dic = new TextDecoder().decode(hunspell.dic).split('\n').slice(1);
  return new Set(dic.map((line) => line.split('/')[0]!.trim().toLowerCase()).filter(Boolean));
}

const ENDINGS: ReadonlyArray<readonly [string, string]> = [
  ['s', ''], ['es', ''], ['ies', 'y'], ['ed', ''], ['ed', 'e'], ['ied', 'y'], ['d', ''], ['ing', ''], ['ing', 'e'], ['er', ''], ['er', 'e'], ['ers', ''], ['ly', ''],
];

/** Whether Hunspell has the word or the stem it is a plain inflection of. */
function inDictionary(word: string, stems: ReadonlySet<string>): boolean {
  return stems.has(word) || ENDINGS.some(([ending, back]) => word.endsWith(ending) && stems.has(word.slice(0, -ending.length) + back));
}

export function englishNearCues(): string[] {
  const stems = dictionaryStems();
  const words = require('an-array-of-english-words') as string[];
  // Forms of short cues too ("tuned", "kills"): those are the cue, for the typo lookup to find.
  const cueStems = new Set(CUE_LIST.map((cue) => stemmer(cue)));
  // A typo keeps the first letter and is at most two edits away: only cues starting alike need the full lookup.
  const byFirstLetter = new Map<string, string[]>();
  for (const cue of CUE_LIST) byFirstLetter.set(cue[0]!, [...(byFirstLetter.get(cue[0]!) ?? []), cue]);
  const nearSome = (w: string) => (byFirstLetter.get(w[0]!) ?? []).some((cue) => editDistance(w, cue, 2) <= 2);
  return words
    .filter((w) => w.length >= 4 && /^[a-z-]+$/.test(w) && !STOP_WORDS.has(w) && !CUE_WORDS.has(w) && inDictionary(w, stems))
    .filter((w) => exactCueOf(w) === undefined && !cueStems.has(stemmer(w)) && nearSome(w) && cueTypoTarget(w) !== undefined)
    .sort();
}

/** The generated module's text. */
export function englishNearCuesModule(words: readonly string[]): string {
  const lines: string[] = [];
  let line = ' ';
  for (const word of words) {
    const item = ` '${word}',`;
    if (line.length + item.length > 120) {
      lines.push(line);
      line = ' ';
    }
    line += item;
  }
  lines.push(line);
  return [
    '// Written by intents/training/write-english-near-cues.ts (part of `npm run train:intents`); do not edit.',
    '/** English words one edit (or, when long, two) from a cue word: meant as typed, never a typo of the cue. */',
    'export const ENGLISH_NEAR_CUES: ReadonlySet<string> = new Set([',
    ...lines,
    ']);',
    '',
  ].join('\n');
}
