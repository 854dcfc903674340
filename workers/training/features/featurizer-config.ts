import { z } from 'zod';

/**
 * How texts become features. Stored with every model, because a model is only
 * meaningful with the exact featurisation it was trained on.
 */
export const featurizerConfigSchema = z.object({
  /** Hash buckets; a power of two so a bucket is a bit mask. */
  dimensions: z.number().int().min(16).max(1 << 24).refine((n) => (n & (n - 1)) === 0, 'dimensions must be a power of two'),
  /** Word n-grams from 1 up to this (2: unigrams and bigrams). */
  maxWordNgram: z.number().int().min(1).max(3),
  /** Character n-grams inside each word without digits, with its boundaries marked (fastText style). */
  minCharNgram: z.number().int().min(0).max(8),
  maxCharNgram: z.number().int().min(0).max(8),
  /** Longer words (base64, hashes) only add their word feature: their n-grams are noise and cost time. */
  maxCharNgramWordLength: z.number().int().min(1),
  /** Texts are cut to this many characters: bounds the cost per text, and the start of a text says the most. */
  maxChars: z.number().int().min(1),
});
export type FeaturizerConfig = z.infer<typeof featurizerConfigSchema>;

export const DEFAULT_FEATURIZER_CONFIG: FeaturizerConfig = {
  dimensions: 1 << 18,
  maxWordNgram: 2,
  minCharNgram: 3,
  maxCharNgram: 5,
  maxCharNgramWordLength: 24,
  maxChars: 1500,
};
