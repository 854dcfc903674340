import { z } from 'zod';
import { featurizerConfigSchema } from '../../workers/training/features/featurizer-config.js';

/**
 * intents/model/intent-model.json: what the ONNX graph needs around it — the featurizer (config
 * and IDF), the labels, the calibration and the thresholds. Checked when read, as it comes from disk.
 */
export const intentModelFileSchema = z.object({
  format: z.literal('opsbot-intent-model'),
  formatVersion: z.literal(1),
  labels: z.array(z.string()).min(2),
  featurizer: featurizerConfigSchema,
  /** Float32 little-endian IDF per hash bucket, base64. */
  idf: z.string(),
  /** Softmax temperature fitted on the calibration slice of the train split. */
  temperature: z.number().positive(),
  thresholds: z.object({
    /** Below this calibrated confidence the top intent is not trusted at all: out of scope. */
    reject: z.number().min(0).max(1),
    /** Below this, "did you mean …?" with the likely intents (or the LLM, when configured). */
    clarify: z.number().min(0).max(1),
    /** p(none) is multiplied by this (then renormalised), fitted on the calibration slice to balance false rejections against missed chatter. */
    noneWeight: z.number().positive(),
  }),
  /** Ordinary words of the training sentences, never guessed to be a model name. */
  vocabulary: z.array(z.string()),
  seed: z.number().int(),
  /** sha256 of the data files the model was trained on. */
  dataHash: z.string(),
  /** Scores on the calibration slice (never the held-out split, which the accuracy test scores). */
  calibration: z.object({ examples: z.number().int(), accuracy: z.number(), ece: z.number(), eceBefore: z.number() }),
  training: z.object({ algorithm: z.string(), examples: z.number().int(), epochs: z.number().int(), bestEpoch: z.number().int() }),
});
export type IntentModelFile = z.infer<typeof intentModelFileSchema>;
