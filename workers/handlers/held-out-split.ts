import { z } from 'zod';
import type { ModelVersion } from '../../core/index.js';
import { DEFAULT_SPLIT_FRACTIONS, DEFAULT_SPLIT_SEED, splitDataset, type TextExample } from '../training/index.js';

/** How a version's dataset was split, as its train job recorded it in the registry. */
const splitParamsSchema = z.object({
  seed: z.number().int(),
  split: z.object({ validation: z.number().min(0).max(1), test: z.number().min(0).max(1) }),
});

/**
 * The split of its own dataset a version was not trained on: the test split (validation
 * picked its best epoch, so it flatters), or validation when the data has no test rows.
 */
export function heldOut(examples: readonly TextExample[], version: ModelVersion): { split: string; examples: TextExample[] } {
  const params = splitParamsSchema.safeParse(version.params);
  const { seed, split } = params.success ? params.data : { seed: DEFAULT_SPLIT_SEED, split: DEFAULT_SPLIT_FRACTIONS };
  const { test, validation } = splitDataset(examples, seed, split);
  return test.length > 0 ? { split: 'test', examples: test } : { split: 'validation', examples: validation };
}
