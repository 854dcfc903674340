import { createRequire } from 'node:module';

let words: ReadonlySet<string> | undefined;

/**
 * Whether a word is English as it stands ("primer", "purse", "tread"): such a word is what the
 * person meant, never a typo of a cue word ("prime", "pulse", "trend"). The list (~275k words,
 * about 20 MB as a set) is loaded on the first typo lookup.
 */
export function isEnglishWord(lower: string): boolean {
  words ??= new Set(createRequire(import.meta.url)('an-array-of-english-words') as string[]);
  return words.has(lower);
}
