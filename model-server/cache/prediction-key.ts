import { createHash } from 'node:crypto';

/** SHA-256 of a text, base64url: short whatever the text's length, and never the text itself. */
export function textDigest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/**
 * The shared (Redis) cache key of a text's prediction: model and version first, so a new
 * version never answers with an old one's prediction, then a hash of the text, so keys stay
 * short whatever the text's length and never carry the text itself into Redis.
 */
export function predictionKey(model: string, version: number, text: string): string {
  return `${model}:${version}:${textDigest(text)}`;
}
