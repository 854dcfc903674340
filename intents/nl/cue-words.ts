import { stemmer } from 'stemmer';
import { closestMatch } from '../../core/index.js';
import { ENGLISH_NEAR_CUES } from './english-near-cues.js';
import { INTENT_CUES, STOP_WORDS } from './lexicon.js';

/** Each cue word or phrase → the intent it points to. */
export const CUE_WORDS: ReadonlyMap<string, string> = new Map(
  Object.entries(INTENT_CUES).flatMap(([intent, cues]) => cues.map((cue) => [cue, intent] as const)),
);
/** Single words only: typos are looked for word by word. */
export const CUE_LIST: readonly string[] = [...CUE_WORDS.keys()].filter((cue) => !cue.includes(' '));
/**
 * Cues by their Porter stem, so other forms of a cue word count as it ("retrained", "reverting",
 * "quantises"); a stem two intents' cues share points to neither.
 */
const CUE_STEMS: ReadonlyMap<string, string> = (() => {
  const stems = new Map<string, string | null>();
  // Short cues ("end", "bin", "eta") would match too much by stem ("ended", "binary").
  for (const cue of CUE_LIST.filter((c) => c.length >= 5)) {
    const stem = stemmer(cue);
    const intent = CUE_WORDS.get(cue) as string;
    stems.set(stem, stems.has(stem) && stems.get(stem) !== intent ? null : intent);
  }
  return new Map([...stems].filter((entry): entry is [string, string] => entry[1] !== null));
})();

/** Typo lookups are remembered (bounded): a channel repeats its words. */
const cueCache = new Map<string, string | undefined>();

/** The intent a word is a cue of exactly or as another form of one ("retrained"), never as a typo. */
export function exactCueOf(lower: string): string | undefined {
  return CUE_WORDS.get(lower) ?? (lower.length >= 4 ? CUE_STEMS.get(stemmer(lower)) : undefined);
}

/**
 * The cue a word would be a typo of: the closest one, when it keeps the first letter and is one
 * edit away ("tuen", "cacnel"), or two in a longer word the training sentences do not have
 * ("report" is two from "revert", "hyperparamters" a typo). `vocabulary` absent: any long word.
 */
export function cueTypoTarget(lower: string, vocabulary?: ReadonlySet<string>): string | undefined {
  const near = closestMatch(lower, CUE_LIST);
  const plausible = near !== undefined && near[0] === lower[0] && (oneEditApart(lower, near) || (lower.length >= 8 && !vocabulary?.has(lower)));
  return plausible ? near : undefined;
}

/**
 * The intent a word is a cue of, itself or as a typo of one ("tuen" → tune). An English word near
 * a cue is what the person meant ("purse" is no "pulse", "tread" no "trend"): see english-near-cues.ts.
 */
export function cueOf(lower: string, vocabulary: ReadonlySet<string>): string | undefined {
  const intent = CUE_WORDS.get(lower);
  if (intent !== undefined || lower.length < 4 || STOP_WORDS.has(lower) || !/^[a-z-]+$/.test(lower)) return intent;
  const key = vocabulary.has(lower) ? `${lower}\tword` : lower;
  if (!cueCache.has(key)) {
    if (cueCache.size > 10_000) cueCache.clear();
    const byStem = CUE_STEMS.get(stemmer(lower));
    const typo = byStem === undefined && !ENGLISH_NEAR_CUES.has(lower) ? cueTypoTarget(lower, vocabulary) : undefined;
    cueCache.set(key, byStem ?? (typo === undefined ? undefined : CUE_WORDS.get(typo)));
  }
  return cueCache.get(key);
}

/** Whether two words differ by one insertion, deletion, substitution or swap of neighbours. */
function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const restA = a.slice(i);
  const restB = b.slice(i);
  return (
    restA.slice(1) === restB.slice(1) || restA.slice(1) === restB || restA === restB.slice(1) || (restA[0] === restB[1] && restA[1] === restB[0] && restA.slice(2) === restB.slice(2))
  );
}
