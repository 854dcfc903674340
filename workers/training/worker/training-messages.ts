import type { ExportedModel, ExportTarget } from '../../onnx/export-text-model.js';
import type { QuantizeOutcome, QuantizeRequest } from '../../onnx/quantize-text-model.js';
import type { TrainingEvent, TrainingOutcome, TrainingRequest } from '../train-text-model.js';

/** The CPU-heavy jobs a training process runs. */
export type WorkerTask =
  /** Train, then (with `exportTo`) save the model and its ONNX file and check them. */
  | { kind: 'train'; request: TrainingRequest; exportTo?: ExportTarget }
  | { kind: 'quantize'; request: QuantizeRequest };

export type TrainedModel = TrainingOutcome & { exported?: ExportedModel };

export type WorkerResult<T extends WorkerTask> = T extends { kind: 'train' } ? TrainedModel : QuantizeOutcome;

/** What the bot sends the training process: its one task. */
export interface TaskMessage {
  task: WorkerTask;
}

/** What the training process sends back: progress, then exactly one `done` or `failed`. */
export type WorkerMessage =
  | TrainingEvent
  | { type: 'done'; result: TrainedModel | QuantizeOutcome }
  /** `permanent`: a PermanentJobError (bad dataset, bad mode) that no retry fixes. */
  | { type: 'failed'; message: string; permanent: boolean; stack?: string };
