import { identityKey } from '../../core/index.js';
import { loadTextDataset } from '../training/text-dataset.js';
import { trainTextClassifier } from '../training/train-text-classifier.js';
import type { JobHandler } from './handler-deps.js';
import { artifactPathFor, writeModelArtifact } from './model-artifact.js';

const DEFAULT_EPOCHS = 10;

/** Trains a text classifier on a CSV dataset and registers it as a new immutable model version. */
export const trainHandler: JobHandler<'train'> = async (action, job, context, deps) => {
  const { model, dataset: datasetPath = '', gpus = 0 } = action.args;
  const epochs = action.args.epochs ?? DEFAULT_EPOCHS;
  await context.reportProgress({ percent: 0, message: `loading ${datasetPath}` });
  const dataset = await loadTextDataset(datasetPath, deps.workDir);
  const started = Date.now();
  const { classifier, history, trainSize, validation } = await trainTextClassifier(dataset, {
    epochs,
    signal: context.signal,
    onEpoch: async (m) =>
      context.reportProgress({
        percent: (m.epoch / epochs) * 100,
        message: `epoch ${m.epoch}/${epochs} · loss ${m.loss.toFixed(4)} · acc ${m.accuracy.toFixed(3)} · val loss ${m.valLoss.toFixed(4)} · val acc ${m.valAccuracy.toFixed(3)}`,
        metrics: { epoch: m.epoch, loss: m.loss, accuracy: m.accuracy, val_loss: m.valLoss, val_accuracy: m.valAccuracy },
      }),
  });
  const last = history[history.length - 1];
  const artifactPath = artifactPathFor(model, job.jobId);
  await writeModelArtifact(deps.dataDir, artifactPath, classifier.toModel());
  const version = await deps.store.registry.registerVersion({
    model,
    createdBy: identityKey(job.requestedBy),
    jobId: job.jobId,
    dataset: datasetPath,
    datasetHash: dataset.hash,
    metrics: { val_accuracy: last?.valAccuracy ?? 0, val_loss: last?.valLoss ?? 0, train_accuracy: last?.accuracy ?? 0, train_loss: last?.loss ?? 0 },
    params: { algorithm: 'hashed-softmax-regression', epochs, dimensions: classifier.dimensions, seed: 42, gpusRequested: gpus },
    artifactPath,
    conversation: job.conversation,
  });
  const gpuNote = gpus > 0 ? ` It ran on CPU: GPU scheduling is not implemented yet, so the ${gpus} GPU(s) requested were not used.` : '';
  return {
    summary: `Trained ${model} v${version.version} on ${dataset.examples.length} examples (${dataset.labels.length} labels) in ${((Date.now() - started) / 1000).toFixed(1)} s: validation accuracy ${(100 * (last?.valAccuracy ?? 0)).toFixed(1)}%.${gpuNote}`,
    details: {
      version: `v${version.version}`,
      'train examples': trainSize,
      'validation examples': validation.length,
      'val accuracy': Number((last?.valAccuracy ?? 0).toFixed(4)),
      'val loss': Number((last?.valLoss ?? 0).toFixed(4)),
    },
  };
};
