import { parentPort, workerData } from 'node:worker_threads';
import { PermanentJobError } from '../../../core/index.js';
import { exportTextModel } from '../../onnx/export-text-model.js';
import { quantizeTextModel } from '../../onnx/quantize-text-model.js';
import { TextFeaturizer } from '../features/text-featurizer.js';
import { TextModel } from '../model/text-model.js';
import { trainTextModel, type TrainingEvent } from '../train-text-model.js';
import type { TrainedModel, WorkerData, WorkerMessage, WorkerTask } from './training-messages.js';

/** The worker thread: runs one task, posting its events and then its result to the main thread. */
const { task } = workerData as WorkerData;
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => parentPort?.postMessage(message, transfer);
const report = (event: TrainingEvent) => post(event);

async function train(task: Extract<WorkerTask, { kind: 'train' }>): Promise<TrainedModel> {
  const outcome = await trainTextModel(task.request, report);
  if (!task.exportTo) return outcome;
  report({ type: 'stage', percent: 96, message: 'exporting to ONNX' });
  const model = new TextModel(new TextFeaturizer(outcome.featurizer.config, outcome.featurizer.idf), outcome.network);
  return { ...outcome, exported: await exportTextModel(model, task.exportTo, outcome.sampleTexts) };
}

try {
  if (task.kind === 'train') {
    const result = await train(task);
    // Hand the big arrays over instead of copying them.
    const arrays = [result.featurizer.idf, ...result.network.layers.flatMap((l) => [l.weights, l.bias])];
    post({ type: 'done', result }, [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))]);
  } else {
    post({ type: 'done', result: await quantizeTextModel(task.request, (message, percent) => report({ type: 'stage', message, percent })) });
  }
} catch (error) {
  const permanent = error instanceof PermanentJobError;
  post({ type: 'failed', message: permanent ? error.userMessage : String((error as Error).message ?? error), permanent, stack: (error as Error).stack });
}
