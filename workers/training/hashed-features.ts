/** A sparse feature vector: parallel arrays of indices and values. */
export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

const TOKEN = /[\p{L}\p{N}']+/gu;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Word unigrams and bigrams hashed into `dimensions` buckets, weighted by log(1 + count)
 * and L2-normalised: no vocabulary to store, and unseen words still land somewhere.
 */
export function hashedFeatures(text: string, dimensions: number): SparseVector {
  const tokens = text.toLowerCase().match(TOKEN) ?? [];
  const counts = new Map<number, number>();
  for (let i = 0; i < tokens.length; i++) {
    const unigram = fnv1a(tokens[i] as string) % dimensions;
    counts.set(unigram, (counts.get(unigram) ?? 0) + 1);
    if (i > 0) {
      const bigram = fnv1a(`${tokens[i - 1]} ${tokens[i]}`) % dimensions;
      counts.set(bigram, (counts.get(bigram) ?? 0) + 1);
    }
  }
  const indices = new Uint32Array(counts.size);
  const values = new Float32Array(counts.size);
  let norm = 0;
  let k = 0;
  for (const [index, count] of counts) {
    const value = Math.log1p(count);
    indices[k] = index;
    values[k] = value;
    norm += value * value;
    k++;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) / norm;
  return { indices, values };
}
