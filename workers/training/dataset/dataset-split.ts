import { fnv1a } from '../features/feature-hash.js';
import { seededRandom, shuffleInPlace } from '../seeded-random.js';
import type { TextExample } from './text-dataset.js';

export interface SplitFractions {
  validation: number;
  test: number;
}

/** 70 / 10 / 20: enough validation for early stopping, a test split big enough to compare versions. */
export const DEFAULT_SPLIT_FRACTIONS: SplitFractions = { validation: 0.1, test: 0.2 };
export const DEFAULT_SPLIT_SEED = 42;

export interface DatasetSplit {
  train: TextExample[];
  validation: TextExample[];
  test: TextExample[];
}

/**
 * Train / validation / test, stratified by label and the same every time for the
 * same seed; rows whose split column names a split go there. Each label is shuffled
 * by its own seed, so adding rows of one label does not reshuffle the others.
 * When the file's split column leaves no validation rows, they are drawn from train.
 */
export function splitDataset(
  examples: readonly TextExample[],
  seed = DEFAULT_SPLIT_SEED,
  fractions: SplitFractions = DEFAULT_SPLIT_FRACTIONS,
): DatasetSplit {
  const assigned: Array<keyof DatasetSplit> = new Array(examples.length);
  const byLabel = new Map<string, number[]>();
  examples.forEach((example, i) => {
    if (example.split) assigned[i] = example.split;
    else {
      const indices = byLabel.get(example.label);
      if (indices) indices.push(i);
      else byLabel.set(example.label, [i]);
    }
  });
  for (const [label, indices] of byLabel) {
    shuffleInPlace(indices, seededRandom((seed ^ fnv1a(label)) >>> 0));
    const test = Math.round(indices.length * fractions.test);
    const validation = Math.round(indices.length * fractions.validation);
    indices.forEach((index, k) => (assigned[index] = k < test ? 'test' : k < test + validation ? 'validation' : 'train'));
  }
  const split: DatasetSplit = { train: [], validation: [], test: [] };
  examples.forEach((example, i) => split[assigned[i] as keyof DatasetSplit].push(example));
  if (split.validation.length > 0 || split.train.length === 0 || fractions.validation === 0) return split;
  const carved = splitDataset(
    split.train.map(({ text, label }) => ({ text, label })),
    seed,
    { validation: fractions.validation / (1 - fractions.test), test: 0 },
  );
  return { train: carved.train, validation: carved.validation, test: split.test };
}
