import { readFile } from 'node:fs/promises';
import type { InferenceSession } from 'onnxruntime-node';
import { TextFeaturizer } from '../../workers/training/features/text-featurizer.js';
import { ONNX_INPUTS, ONNX_OUTPUT } from '../../workers/onnx/onnx-io-names.js';
import { intentModelFileSchema, type IntentModelFile } from './intent-model-file.js';
import { INTENT_MODEL_JSON, INTENT_MODEL_ONNX } from './intent-model-paths.js';

export interface IntentScore {
  readonly label: string;
  /** Calibrated probability. */
  readonly p: number;
}

/**
 * The shipped intent model: its featurizer in JS, its network in onnxruntime-node (one
 * thread: the bot shares its machine). Scores come out temperature-scaled, best first.
 */
export class IntentClassifier {
  private readonly inverseTemperature: number;
  private readonly none: number;
  private indices = new BigInt64Array(256);
  private values = new Float32Array(256);
  private inFlight = false;

  private constructor(
    readonly file: IntentModelFile,
    private readonly featurizer: TextFeaturizer,
    private readonly session: InferenceSession,
    private readonly ort: typeof import('onnxruntime-node'),
  ) {
    this.inverseTemperature = 1 / file.temperature;
    this.none = file.labels.indexOf('none');
  }

  static async load(paths: { onnx: string; json: string } = { onnx: INTENT_MODEL_ONNX, json: INTENT_MODEL_JSON }): Promise<IntentClassifier> {
    const file = intentModelFileSchema.parse(JSON.parse(await readFile(paths.json, 'utf8')));
    const bytes = Buffer.from(file.idf, 'base64');
    if (bytes.byteLength !== file.featurizer.dimensions * 4) throw new Error(`${paths.json}: the IDF has ${bytes.byteLength / 4} values, expected ${file.featurizer.dimensions}`);
    const idf = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    // Imported here, not at the top: the native runtime loads only when a sentence first needs the model.
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(await readFile(paths.onnx), { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
    return new IntentClassifier(file, new TextFeaturizer(file.featurizer, idf), session, ort);
  }

  get vocabulary(): readonly string[] {
    return this.file.vocabulary;
  }

  /** Calibrated intent probabilities of a sentence as the slot reader rewrote it (Reading.features), best first. */
  async classify(features: string): Promise<IntentScore[]> {
    // One sentence's input arrays are views of buffers kept for the next: new typed arrays for every
    // sentence (backing stores outside the heap) set off young-generation collections whose helper
    // threads, on a busy machine, made one parse in a hundred take milliseconds. A sentence that
    // arrives while another is inside the runtime gets arrays of its own.
    const reuse = !this.inFlight;
    this.inFlight = true;
    try {
      const vector = this.featurizer.featurizeReused(features);
      const width = Math.max(1, vector.indices.length);
      if (reuse && this.indices.length < width) {
        this.indices = new BigInt64Array(width * 2);
        this.values = new Float32Array(width * 2);
      }
      const indices = reuse ? this.indices.subarray(0, width).fill(0n) : new BigInt64Array(width);
      const values = reuse ? this.values.subarray(0, width).fill(0) : new Float32Array(width);
      for (let k = 0; k < vector.indices.length; k++) {
        indices[k] = BigInt(vector.indices[k] as number);
        values[k] = vector.values[k] as number;
      }
      const output = await this.session.run({
        [ONNX_INPUTS.indices]: new this.ort.Tensor('int64', indices, [1, width]),
        [ONNX_INPUTS.values]: new this.ort.Tensor('float32', values, [1, width]),
      });
      return this.scores(output[ONNX_OUTPUT]?.data as Float32Array);
    } finally {
      if (reuse) this.inFlight = false;
    }
  }

  private scores(raw: Float32Array): IntentScore[] {
    // Temperature scaling on probabilities: p^(1/T), renormalised, is softmax(logits / T).
    const scaled = Array.from(raw, (p) => Math.pow(Math.max(p, 1e-12), this.inverseTemperature));
    scaled[this.none] = (scaled[this.none] as number) * this.file.thresholds.noneWeight;
    const total = scaled.reduce((sum, p) => sum + p, 0);
    return scaled.map((p, i) => ({ label: this.file.labels[i] as string, p: p / total })).sort((a, b) => b.p - a.p);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

let shared: Promise<IntentClassifier> | undefined;

/** The shipped model, loaded on first use and then shared: parsing a command never pays for it. */
export function sharedIntentClassifier(): Promise<IntentClassifier> {
  shared ??= IntentClassifier.load().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
