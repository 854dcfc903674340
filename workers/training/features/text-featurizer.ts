import { CHAR_CLASSES, SEPARATOR, WORD_CHAR } from './char-classes.js';
import { combineHashes, mix32 } from './feature-hash.js';
import type { FeaturizerConfig } from './featurizer-config.js';
import type { SparseMatrix } from './sparse-matrix.js';
import type { SparseVector } from './sparse-vector.js';

/** Module-local copies: under jest's vm context each global lookup goes through an interceptor, which made this hot path several times slower in tests. */
const { imul, log, min, sqrt } = Math;

const WORD_BASIS = 0x811c9dc5;
const CHAR_BASIS = 0x050c5d1f;
/** 1 + ln(count) for the counts texts usually have: a lookup is several times cheaper than a log per feature. */
const SUBLINEAR_TF = Float64Array.from({ length: 256 }, (_, count) => (count === 0 ? 0 : 1 + Math.log(count)));

/** "<word>": n-grams at a word's start and end differ from the same letters inside it, as in fastText. */
const WORD_START = 0x3c;
const WORD_END = 0x3e;

/**
 * Hashed word n-grams and in-word character n-grams, weighted by TF-IDF
 * (sublinear term frequency) and L2-normalised. The IDF is learned on the train
 * split and stored with the model; JS inference and the ONNX model both start
 * from these vectors, so they see exactly the same input.
 */
export class TextFeaturizer {
  private readonly mask: number;
  /** Dense scratch counts, reset after every text: much cheaper than a Map per text. */
  private readonly counts: Uint16Array;
  /** Buckets counted so far in this text, in first-seen order (the order every output keeps). */
  private touched: Int32Array = new Int32Array(4096);
  private size = 0;
  /** The values featurizeReused returns, beside `touched` as its indices. */
  private reusedValues: Float32Array = new Float32Array(4096);
  /** The current word as "<word>" code units, so its n-gram loop reads no string and tests no boundary. */
  private readonly marked: Uint16Array;

  constructor(
    readonly config: FeaturizerConfig,
    /** Inverse document frequency per bucket; all ones until fitted. */
    readonly idf: Float32Array = new Float32Array(config.dimensions).fill(1),
  ) {
    this.mask = config.dimensions - 1;
    this.counts = new Uint16Array(config.dimensions);
    this.marked = new Uint16Array(config.maxCharNgramWordLength + 2);
  }

  /** Raw n-gram counts of one text. */
  count(text: string): SparseVector {
    const size = this.scan(text);
    const indices = this.touched.slice(0, size);
    const values = new Float32Array(size);
    this.drainCounts(values, size);
    return { indices, values };
  }

  /** TF-IDF weights, L2-normalised, of one text. */
  featurize(text: string): SparseVector {
    return this.weigh(this.count(text));
  }

  /**
   * The same vector as `featurize`, in buffers this featurizer reuses: valid only until
   * its next count, featurize or featurizeReused. For inference, where the vector is used
   * at once: two typed arrays per text live outside the JS heap, and their churn set off
   * a garbage collection every few thousand texts.
   */
  featurizeReused(text: string): SparseVector {
    const size = this.scan(text);
    if (this.reusedValues.length < size) this.reusedValues = new Float32Array(this.touched.length);
    const vector = { indices: this.touched.subarray(0, size), values: this.reusedValues.subarray(0, size) };
    this.drainCounts(vector.values, size);
    return this.weigh(vector);
  }

  /** Counts every n-gram of one text into `counts`, listing new buckets in `touched`; returns how many. */
  private scan(text: string): number {
    const { config } = this;
    const source = (text.length > config.maxChars ? text.slice(0, config.maxChars) : text).toLowerCase();
    this.size = 0;
    // Hashes of the previous two words, for bigrams and trigrams; 0 before the first word.
    let previous1 = 0;
    let previous2 = 0;
    let words = 0;
    let i = 0;
    while (i < source.length) {
      const kind = CHAR_CLASSES[source.charCodeAt(i)] as number;
      if (kind === SEPARATOR) {
        i++;
        continue;
      }
      const start = i;
      let hash = WORD_BASIS;
      let digits = false;
      do {
        const code = source.charCodeAt(i);
        digits ||= code >= 0x30 && code <= 0x39;
        hash = imul(hash ^ code, 0x01000193);
        i++;
      } while (kind === WORD_CHAR && i < source.length && CHAR_CLASSES[source.charCodeAt(i)] === WORD_CHAR);
      hash >>>= 0;
      this.add(mix32(hash));
      if (config.maxWordNgram >= 2 && words >= 1) {
        const bigram = combineHashes(previous1, hash);
        this.add(mix32(bigram ^ 2));
        if (config.maxWordNgram >= 3 && words >= 2) this.add(mix32(combineHashes(previous2, bigram) ^ 3));
      }
      previous2 = previous1;
      previous1 = hash;
      words++;
      // Words with digits (dates, IDs, addresses, prices) get no character n-grams: theirs
      // rarely recur, and skipping them made SpamAssassin both faster and more accurate.
      if (config.maxCharNgram > 0 && !digits && i - start <= config.maxCharNgramWordLength) this.addCharNgrams(source, start, i);
    }
    return this.size;
  }

  /** Moves the counts of the first `size` touched buckets into `values`, leaving `counts` all zero for the next text. */
  private drainCounts(values: Float32Array, size: number): void {
    const { counts, touched } = this;
    for (let k = 0; k < size; k++) {
      const bucket = touched[k] as number;
      values[k] = counts[bucket] as number;
      counts[bucket] = 0;
    }
  }

  /** Turns raw counts into L2-normalised sublinear TF-IDF, in place. */
  weigh(vector: SparseVector): SparseVector {
    const { indices, values } = vector;
    let norm = 0;
    for (let k = 0; k < values.length; k++) {
      const count = values[k] as number;
      const tf = count < SUBLINEAR_TF.length ? (SUBLINEAR_TF[count] as number) : 1 + log(count);
      const weight = tf * (this.idf[indices[k] as number] as number);
      values[k] = weight;
      norm += weight * weight;
    }
    const scale = norm > 0 ? 1 / sqrt(norm) : 0;
    for (let k = 0; k < values.length; k++) values[k] = (values[k] as number) * scale;
    return vector;
  }

  /** Learns smoothed IDF, ln((1 + n) / (1 + df)) + 1, from the raw counts of the train split. */
  fitIdf(counts: SparseMatrix): void {
    const documentFrequency = new Float64Array(this.config.dimensions);
    for (let k = 0; k < counts.indices.length; k++) {
      const bucket = counts.indices[k] as number;
      documentFrequency[bucket] = (documentFrequency[bucket] as number) + 1;
    }
    for (let j = 0; j < this.idf.length; j++) this.idf[j] = log((1 + counts.rows) / (1 + (documentFrequency[j] as number))) + 1;
  }

  private add(hash: number): void {
    const bucket = hash & this.mask;
    const counts = this.counts;
    const count = counts[bucket] as number;
    if (count === 0) {
      if (this.size === this.touched.length) this.touched = grow(this.touched);
      this.touched[this.size++] = bucket;
    }
    // 16-bit counts keep the scratch array small enough to stay in cache; a cut text never reaches the cap.
    if (count < 0xffff) counts[bucket] = count + 1;
  }

  /** The n-grams of `<word>`, where the word is the text between `start` and `end`. */
  private addCharNgrams(source: string, start: number, end: number): void {
    const { minCharNgram, maxCharNgram } = this.config;
    const { marked } = this;
    const length = end - start + 2;
    marked[0] = WORD_START;
    for (let at = 1; at < length - 1; at++) marked[at] = source.charCodeAt(start + at - 1);
    marked[length - 1] = WORD_END;
    for (let from = 0; from + minCharNgram <= length; from++) {
      let hash = CHAR_BASIS;
      const last = min(length, from + maxCharNgram);
      for (let at = from; at < last; at++) {
        hash = imul(hash ^ (marked[at] as number), 0x01000193);
        const n = at - from + 1;
        if (n >= minCharNgram) this.add(mix32(hash ^ (n << 24)));
      }
    }
  }
}

function grow(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
