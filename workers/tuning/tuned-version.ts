import { identityKey, type NewModelVersion, type QueuedJob } from '../../core/index.js';
import { DEFAULT_SPLIT_FRACTIONS } from '../training/index.js';
import type { TuningOutcome } from './run-tuning.js';
import type { SearchMethod } from './search-strategy.js';

export interface TunedVersionInput {
  model: string;
  job: QueuedJob;
  datasetPath: string;
  epochs: number;
  seed: number;
  method: SearchMethod;
  tuning: TuningOutcome;
  /** The best trial's model.json, relative to the data directory. */
  artifactPath: string;
}

/**
 * The registry entry of a search's best trial: the same metrics and parameters a
 * `train` version records, so versions compare whichever command made them, plus
 * `tuned`, which says how the settings were found.
 */
export function tunedVersion({ model, job, datasetPath, epochs, seed, method, tuning, artifactPath }: TunedVersionInput): NewModelVersion {
  const { outcome, trial } = tuning.best;
  const { validation, test, settings } = outcome;
  const bestEpoch = outcome.history.find((m) => m.epoch === outcome.bestEpoch);
  return {
    model,
    createdBy: identityKey(job.requestedBy),
    jobId: job.jobId,
    dataset: datasetPath,
    datasetHash: outcome.datasetHash,
    metrics: {
      val_accuracy: validation.accuracy,
      val_loss: validation.loss,
      val_macro_f1: validation.macroF1,
      ...(test ? { test_accuracy: test.accuracy, test_loss: test.loss, test_macro_f1: test.macroF1 } : {}),
      train_accuracy: bestEpoch?.accuracy ?? 0,
      train_loss: bestEpoch?.loss ?? 0,
    },
    params: {
      algorithm: outcome.network.kind,
      mode: 'full',
      precision: 'fp32',
      epochs,
      epochsRun: outcome.history.length,
      bestEpoch: outcome.bestEpoch,
      seed,
      split: DEFAULT_SPLIT_FRACTIONS,
      optimizer: 'adam',
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      l2: settings.l2,
      patience: settings.patience,
      ...(outcome.network.kind === 'mlp' ? { hidden: settings.hidden } : {}),
      featurizer: settings.featurizer,
      labels: outcome.network.labels,
      classBalance: outcome.classBalance,
      onnxBytes: outcome.exported?.onnxBytes ?? 0,
      trainedBy: job.requestedBy.displayName,
      tuned: { method, trials: tuning.trials.length, objective: 'val_loss', trial },
    },
    artifactPath,
    conversation: job.conversation,
  };
}
