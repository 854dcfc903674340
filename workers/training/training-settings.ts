import { DEFAULT_FEATURIZER_CONFIG, type FeaturizerConfig } from './features/featurizer-config.js';
import type { FitSettings } from './network/fit-network.js';
import type { NetworkKind } from './network/text-network.js';

/** Everything that shapes a training run besides the data; recorded with each version. */
export interface TrainingSettings extends Omit<FitSettings, 'epochs' | 'seed'> {
  featurizer: FeaturizerConfig;
  /** Hidden units of an MLP. */
  hidden: number;
}

/**
 * Defaults chosen on the SpamAssassin split (bench/training.bench.ts): Adam's per-weight
 * steps suit sparse TF-IDF features, where rare but telling n-grams get few updates.
 * The MLP learns more slowly per step and costs `hidden` times more per feature.
 */
export const DEFAULT_TRAINING_SETTINGS: Record<NetworkKind, TrainingSettings> = {
  softmax: { featurizer: DEFAULT_FEATURIZER_CONFIG, hidden: 0, batchSize: 64, learningRate: 0.05, l2: 1e-5, patience: 2, minDelta: 1e-3 },
  mlp: { featurizer: DEFAULT_FEATURIZER_CONFIG, hidden: 16, batchSize: 64, learningRate: 0.01, l2: 1e-5, patience: 2, minDelta: 1e-3 },
};
