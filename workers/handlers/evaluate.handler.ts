import { PermanentJobError } from '../../core/index.js';
import { classificationMetrics } from '../training/classification-metrics.js';
import { SoftmaxClassifier } from '../training/softmax-classifier.js';
import { loadTextDataset } from '../training/text-dataset.js';
import { validationSplit } from '../training/train-text-classifier.js';
import type { JobHandler } from './handler-deps.js';
import { readModelArtifact } from './model-artifact.js';

/** Scores a model version on a dataset: its held-out validation split unless another dataset is named. */
export const evaluateHandler: JobHandler<'evaluate'> = async (action, _job, context, deps) => {
  const { model } = action.args;
  const version = await deps.store.registry.getVersion(model, Number(action.args.version));
  if (!version) throw new PermanentJobError(`${model} v${action.args.version} no longer exists in the registry`);
  const classifier = SoftmaxClassifier.fromModel(await readModelArtifact(deps.dataDir, version));
  const datasetPath = action.args.dataset ?? version.dataset;
  await context.reportProgress({ percent: 10, message: `loading ${datasetPath}` });
  const dataset = await loadTextDataset(datasetPath, deps.workDir);
  const examples = action.args.dataset ? dataset.examples : validationSplit(dataset.examples).validation;
  const predicted = examples.map((e) => classifier.predict(e.text).label);
  const metrics = classificationMetrics(classifier.labels, examples.map((e) => e.label), predicted);
  const unknownLabels = dataset.labels.filter((label) => !classifier.labels.includes(label));
  const note = unknownLabels.length > 0 ? ` The dataset has labels the model never saw: ${unknownLabels.join(', ')}.` : '';
  const on = action.args.dataset ? datasetPath : `the validation split of ${datasetPath}`;
  return {
    summary: `${model} v${version.version} on ${on} (${examples.length} examples): accuracy ${(100 * metrics.accuracy).toFixed(1)}%, macro F1 ${metrics.macroF1.toFixed(3)}.${note}`,
    details: {
      accuracy: Number(metrics.accuracy.toFixed(4)),
      'macro precision': Number(metrics.macroPrecision.toFixed(4)),
      'macro recall': Number(metrics.macroRecall.toFixed(4)),
      'macro F1': Number(metrics.macroF1.toFixed(4)),
      ...Object.fromEntries(Object.entries(metrics.perClass).map(([label, m]) => [`F1 ${label}`, Number(m.f1.toFixed(4))])),
    },
  };
};
