/** Module-local copies: under jest's vm context each global lookup goes through an interceptor, which made this hot path several times slower in tests. */
const { imul } = Math;

/** FNV-1a over UTF-16 code units, from a caller-chosen basis so that each feature family hashes apart. */
export function fnv1a(text: string, basis = 0x811c9dc5): number {
  let hash = basis;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** murmur3's finaliser: spreads FNV's weak low bits before they are masked to a bucket. */
export function mix32(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Combines two hashes in order, so "a b" and "b a" land in different buckets. */
export function combineHashes(first: number, second: number): number {
  return mix32(imul(first ^ 0x9e3779b9, 0x01000193) ^ second);
}
