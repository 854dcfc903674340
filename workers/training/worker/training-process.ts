import { PermanentJobError } from '../../../core/index.js';
import { exportTextModel } from '../../onnx/export-text-model.js';
import { quantizeTextModel } from '../../onnx/quantize-text-model.js';
import { TextFeaturizer } from '../features/text-featurizer.js';
import { TextModel } from '../model/text-model.js';
import { trainTextModel, type TrainingEvent } from '../train-text-model.js';
import type { TaskMessage, TrainedModel, WorkerMessage, WorkerTask } from './training-messages.js';

/** The training process: runs the one task it is sent, sending its events and then its result back, and exits. */
const post = (message: WorkerMessage): Promise<void> => new Promise((done) => (process.connected ? process.send?.(message, undefined, {}, () => done()) : done()));
const report = (event: TrainingEvent) => void post(event);

async function train(task: Extract<WorkerTask, { kind: 'train' }>): Promise<TrainedModel> {
  const outcome = await trainTextModel(task.request, report);
  if (!task.exportTo) return outcome;
  report({ type: 'stage', percent: 96, message: 'exporting to ONNX' });
  const model = new TextModel(new TextFeaturizer(outcome.featurizer.config, outcome.featurizer.idf), outcome.network);
  return { ...outcome, exported: await exportTextModel(model, task.exportTo, outcome.sampleTexts) };
}

async function run(task: WorkerTask): Promise<WorkerMessage> {
  try {
    if (task.kind === 'train') return { type: 'done', result: await train(task) };
    return { type: 'done', result: await quantizeTextModel(task.request, (message, percent) => report({ type: 'stage', message, percent })) };
  } catch (error) {
    const permanent = error instanceof PermanentJobError;
    return { type: 'failed', message: permanent ? error.userMessage : String((error as Error).message ?? error), permanent, stack: (error as Error).stack };
  }
}

// The bot went away (or stopped this run): nobody is waiting for the result.
process.once('disconnect', () => process.exit(1));
process.once('message', (message: TaskMessage) => {
  void run(message.task)
    .then(post)
    .then(() => process.exit(0));
});
