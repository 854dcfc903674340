import { identityKey, type NewModelVersion, type QueuedJob } from '../../core/index.js';
import { DEFAULT_SPLIT_FRACTIONS } from './dataset/dataset-split.js';
import type { TextNetwork } from './network/text-network.js';
import type { TrainedModel } from './worker/training-messages.js';

/**
 * What a registry entry records of a training run, without its weights: small and
 * plain JSON, so a tune job's trial can hand it to its parent over the queue.
 */
export type TrainedSummary = Pick<TrainedModel, 'datasetHash' | 'classBalance' | 'settings' | 'history' | 'bestEpoch' | 'validation' | 'test'> & {
  network: Pick<TextNetwork, 'kind' | 'labels'>;
  exported?: { onnxBytes: number };
};

export function summarizeTraining(outcome: TrainedModel): TrainedSummary {
  const { datasetHash, classBalance, settings, history, bestEpoch, validation, test, network, exported } = outcome;
  return {
    datasetHash,
    classBalance,
    settings,
    history,
    bestEpoch,
    validation,
    ...(test ? { test } : {}),
    network: { kind: network.kind, labels: network.labels },
    ...(exported ? { exported: { onnxBytes: exported.onnxBytes } } : {}),
  };
}

export interface TrainedVersionInput {
  model: string;
  job: QueuedJob;
  datasetPath: string;
  epochs: number;
  seed: number;
  mode: string;
  outcome: TrainedSummary;
  /** model.json, relative to the data directory. */
  artifactPath: string;
  /** What only this kind of run records: the base model, the GPUs asked for, how a search found it. */
  extraParams?: Record<string, unknown>;
}

/**
 * The registry entry of a trained model: the same metrics and parameters whichever
 * command (train, tune) made it, so versions compare.
 */
export function trainedVersionEntry({ model, job, datasetPath, epochs, seed, mode, outcome, artifactPath, extraParams }: TrainedVersionInput): NewModelVersion {
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
      mode,
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
      ...extraParams,
    },
    artifactPath,
    conversation: job.conversation,
  };
}
