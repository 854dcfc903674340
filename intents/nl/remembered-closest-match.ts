import { closestMatch } from '../../core/index.js';

/** Distinct words remembered per list before the memory starts over: a channel repeats its words, and this bounds the cost. */
const REMEMBERED = 4096;

/**
 * closestMatch against one fixed list, remembering its answers: the same answers, without the edit
 * distance's row arrays for each candidate on every sentence (their garbage set off the collections
 * that made a parse's p99 many times its median).
 */
export function rememberedClosestMatch(candidates: readonly string[]): (word: string) => string | undefined {
  const answers = new Map<string, string | undefined>();
  return (word) => {
    if (answers.has(word)) return answers.get(word);
    if (answers.size >= REMEMBERED) answers.clear();
    const near = closestMatch(word, candidates);
    answers.set(word, near);
    return near;
  };
}
