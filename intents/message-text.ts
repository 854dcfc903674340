/** Longest user word quoted back in full; longer ones are cut so a pasted wall of text cannot flood the reply. */
const MAX_QUOTED = 80;

/** A user's word in double quotes, shortened with "…" when very long. */
export function quoteWord(word: string): string {
  return `"${word.length > MAX_QUOTED ? `${word.slice(0, MAX_QUOTED - 1)}…` : word}"`;
}

/** "a, b or c": how a choice among a few names reads in a sentence. */
export function listWithOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** 1-based position of a UTF-16 index, counted in characters as the user sees them (an emoji is one). */
export function charPosition(text: string, index: number): number {
  return Array.from(text.slice(0, index)).length + 1;
}

/** ` — did you mean "x"?` when there is a near match, else a full stop to end the sentence. */
export function didYouMean(near: string | undefined): string {
  return near === undefined ? '.' : ` — did you mean "${near}"?`;
}
