import * as ort from 'onnxruntime-node';
import type { SparseVector } from '../training/features/sparse-vector.js';
import { ONNX_INPUTS, ONNX_OUTPUT } from './text-network-onnx.js';

/** An onnxruntime-node session of an exported text model (CPU, one thread per call: the worker shares its machine). */
export class OnnxTextSession {
  /** Runs not finished yet: the session is released only after them, never under one. */
  private readonly running = new Set<Promise<unknown>>();
  private closed?: Promise<void>;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly classes: number,
  ) {}

  static async load(model: Uint8Array | string, classes: number): Promise<OnnxTextSession> {
    const options: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' };
    const session = typeof model === 'string' ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model, options);
    return new OnnxTextSession(session, classes);
  }

  /** Class probabilities of a batch of feature vectors. */
  async predict(batch: readonly SparseVector[]): Promise<Float32Array[]> {
    const width = Math.max(1, ...batch.map((x) => x.indices.length));
    const indices = new BigInt64Array(batch.length * width);
    const values = new Float32Array(batch.length * width);
    batch.forEach((x, row) => {
      for (let k = 0; k < x.indices.length; k++) {
        indices[row * width + k] = BigInt(x.indices[k] as number);
        values[row * width + k] = x.values[k] as number;
      }
    });
    if (this.closed) throw new Error('the ONNX session was closed');
    const run = this.session.run({
      [ONNX_INPUTS.indices]: new ort.Tensor('int64', indices, [batch.length, width]),
      [ONNX_INPUTS.values]: new ort.Tensor('float32', values, [batch.length, width]),
    });
    this.running.add(run);
    const output = await run.finally(() => this.running.delete(run));
    const probabilities = output[ONNX_OUTPUT]?.data as Float32Array;
    return batch.map((_, row) => probabilities.slice(row * this.classes, (row + 1) * this.classes));
  }

  /** Releases the native session once every run in flight has finished; later calls wait for the same release. */
  close(): Promise<void> {
    this.closed ??= Promise.allSettled([...this.running]).then(() => this.session.release());
    return this.closed;
  }
}
