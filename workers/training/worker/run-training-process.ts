import { fork } from 'node:child_process';
import { JobCancelledError, PermanentJobError } from '../../../core/index.js';
import { childProcessEnv } from '../../child-process-env.js';
import { LineTail } from '../../external/line-tail.js';
import type { ExportTarget } from '../../onnx/export-text-model.js';
import type { QuantizeOutcome, QuantizeRequest } from '../../onnx/quantize-text-model.js';
import type { TrainingEvent, TrainingRequest } from '../train-text-model.js';
import { childEntry, siblingModule } from './child-entry.js';
import { TrainingProcessCrashedError } from './training-process-crashed.error.js';
import type { TaskMessage, TrainedModel, WorkerMessage, WorkerResult, WorkerTask } from './training-messages.js';

const ENTRY = siblingModule(import.meta.url, './training-process');
const STDERR_TAIL_LINES = 20;
/** A process that sent its result but has not exited after this long is killed. */
const EXIT_GRACE_MS = 5000;

export interface WorkerRunOptions {
  signal?: AbortSignal;
  onEvent?: (event: TrainingEvent) => void;
  /**
   * The training process's entry module.
   * @defaultValue training-process.js next to this file (.ts when run from source)
   */
  entry?: URL;
}

/**
 * Runs a task in a child process, not a thread: onnxruntime aborts the whole process
 * when a thread is torn down inside one of its calls, and a native fault of any kind
 * must fail only its job. The bot's event loop stays free meanwhile. A cancel kills
 * the process and rejects with JobCancelledError once it is gone, so nothing it
 * writes can land after the caller has cleaned up; a crash rejects with
 * TrainingProcessCrashedError.
 */
function runTask<T extends WorkerTask>(task: T, { signal, onEvent, entry = ENTRY }: WorkerRunOptions): Promise<WorkerResult<T>> {
  if (signal?.aborted) return Promise.reject(new JobCancelledError());
  return new Promise<WorkerResult<T>>((resolve, reject) => {
    const start = childEntry(entry);
    const child = fork(start.file, start.args, {
      env: childProcessEnv(process.env),
      execArgv: [],
      serialization: 'advanced',
      // stdout is the terminal chat's; the process writes only to stderr (kept for a crash message).
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const stderr = new LineTail(STDERR_TAIL_LINES);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    let outcome: { ok: true; value: WorkerResult<T> } | { ok: false; error: Error } | undefined;
    const cancel = () => {
      outcome ??= { ok: false, error: new JobCancelledError() };
      child.kill('SIGKILL');
    };
    signal?.addEventListener('abort', cancel, { once: true });
    child.on('message', (message: WorkerMessage) => {
      if (outcome) return;
      if (message.type === 'done') outcome = { ok: true, value: message.result as WorkerResult<T> };
      else if (message.type === 'failed') {
        outcome = { ok: false, error: message.permanent ? new PermanentJobError(message.message) : Object.assign(new Error(message.message), { stack: message.stack }) };
      } else onEvent?.(message);
      if (outcome) setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS).unref();
    });
    // `on`, not `once`: a failed fork also fails the send below, a second 'error' that would otherwise crash the bot.
    child.on('error', (error) => {
      outcome ??= { ok: false, error };
      child.kill('SIGKILL');
    });
    // Settled only once the process is gone (and its last message read): a cancelled one can no longer write files.
    child.once('close', (code, exitSignal) => {
      signal?.removeEventListener('abort', cancel);
      const settled = outcome ?? { ok: false, error: new TrainingProcessCrashedError(exitSignal ? `killed by ${exitSignal}` : `exit code ${code}`, stderr.text()) };
      if (settled.ok) resolve(settled.value);
      else reject(settled.error);
    });
    child.send({ task } satisfies TaskMessage);
  });
}

/** Trains in a child process; with `exportTo`, it also saves the model and checks its ONNX file. */
export function runTrainingProcess(request: TrainingRequest, options: WorkerRunOptions & { exportTo?: ExportTarget } = {}): Promise<TrainedModel> {
  const { exportTo, ...run } = options;
  return runTask({ kind: 'train', request, ...(exportTo ? { exportTo } : {}) }, run);
}

/** Quantizes a saved model to INT8 and measures both versions, in a child process. */
export function runQuantizeProcess(request: QuantizeRequest, options: WorkerRunOptions = {}): Promise<QuantizeOutcome> {
  return runTask({ kind: 'quantize', request }, options);
}
