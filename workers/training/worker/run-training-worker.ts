import { Worker } from 'node:worker_threads';
import { JobCancelledError, PermanentJobError } from '../../../core/index.js';
import type { ExportTarget } from '../../onnx/export-text-model.js';
import type { QuantizeOutcome, QuantizeRequest } from '../../onnx/quantize-text-model.js';
import type { TrainingEvent, TrainingRequest } from '../train-text-model.js';
import type { TrainedModel, WorkerData, WorkerMessage, WorkerResult, WorkerTask } from './training-messages.js';

const BOOTSTRAP = new URL('./tsx-worker.mjs', import.meta.url);
const ENTRY = new URL('./training-worker.ts', import.meta.url).href;

export interface WorkerRunOptions {
  signal?: AbortSignal;
  onEvent?: (event: TrainingEvent) => void;
}

/**
 * Runs a task on a worker thread, so the event loop (queue locks, progress, other
 * jobs) keeps running. Cancelling terminates the thread at once, wherever it is,
 * and rejects with JobCancelledError.
 */
function runWorkerTask<T extends WorkerTask>(task: T, { signal, onEvent }: WorkerRunOptions): Promise<WorkerResult<T>> {
  if (signal?.aborted) return Promise.reject(new JobCancelledError());
  return new Promise<WorkerResult<T>>((resolve, reject) => {
    const data: WorkerData = { entry: ENTRY, task };
    const worker = new Worker(BOOTSTRAP, { workerData: data });
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', cancel);
      finish();
      void worker.terminate();
    };
    const cancel = () => settle(() => reject(new JobCancelledError()));
    signal?.addEventListener('abort', cancel, { once: true });
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'done') settle(() => resolve(message.result as WorkerResult<T>));
      else if (message.type === 'failed') {
        settle(() => reject(message.permanent ? new PermanentJobError(message.message) : Object.assign(new Error(message.message), { stack: message.stack })));
      } else if (!settled) onEvent?.(message);
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the worker thread exited (code ${code}) before it finished`))));
  });
}

/** Trains on a worker thread; with `exportTo`, the thread also saves the model and checks its ONNX file. */
export function runTrainingWorker(request: TrainingRequest, options: WorkerRunOptions & { exportTo?: ExportTarget } = {}): Promise<TrainedModel> {
  const { exportTo, ...run } = options;
  return runWorkerTask({ kind: 'train', request, ...(exportTo ? { exportTo } : {}) }, run);
}

/** Quantizes a saved model to INT8 and measures both versions, on a worker thread. */
export function runQuantizeWorker(request: QuantizeRequest, options: WorkerRunOptions = {}): Promise<QuantizeOutcome> {
  return runWorkerTask({ kind: 'quantize', request }, options);
}
