import { textDigest } from './prediction-key.js';

/**
 * Texts up to this length are their own in-process cache key. The LRU's Map then hashes the
 * text with V8's own string hash and compares it in full on a hit, which is collision-safe
 * and about 1 µs cheaper per text than SHA-256 (a quarter of a cache hit's server time);
 * longer texts are keyed by their SHA-256, so 10,000 entries hold at most ~5 MB of keys.
 */
export const TEXT_KEY_MAX_CHARS = 256;

/**
 * The in-process cache keys of one model version: model and version first, so one LRU never
 * mixes versions, then `t:` and the text itself, or `h:` and its SHA-256 for a long text
 * (the two forms cannot meet). Never sent anywhere: Redis keeps `predictionKey`, which never
 * carries the text.
 */
export class MemoryKeys {
  private readonly textPrefix: string;
  private readonly hashPrefix: string;

  constructor(model: string, version: number) {
    this.textPrefix = `${model}:${version}:t:`;
    this.hashPrefix = `${model}:${version}:h:`;
  }

  of(text: string): string {
    return text.length <= TEXT_KEY_MAX_CHARS ? this.textPrefix + text : this.hashPrefix + textDigest(text);
  }
}
