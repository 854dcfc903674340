import { writeTextModel } from '../training/model/model-files.js';
import type { TextModel } from '../training/model/text-model.js';
import { onnxParity } from './onnx-parity.js';
import { textNetworkToOnnx } from './text-network-onnx.js';

/** Where a model is saved: the path of its model.json (model.onnx, which holds the weights, and weights.bin, the IDF, go next to it), and ONNX metadata. */
export interface ExportTarget {
  manifestPath: string;
  metadata: Record<string, string>;
}

export interface ExportedModel {
  onnxBytes: number;
  weightsBytes: number;
  /** Largest |p_onnx − p_js| on the sample texts. */
  onnxDifference: number;
}

/**
 * The spec's limit: an export's predictions match its weights within this. Float32
 * rounding stays near 1e-7, FP32 and INT8 alike (an INT8 model predicts in JS with
 * the exact values of its int8 weights), so anything further is a bug.
 */
const MAX_ONNX_DIFFERENCE = 1e-5;

/**
 * Saves a model (FP32, or INT8 when it holds quantized weights) with its ONNX file,
 * then runs the ONNX file with onnxruntime on `sampleTexts` and refuses an export
 * whose probabilities stray from the JS model's.
 */
export async function exportTextModel(model: TextModel, target: ExportTarget, sampleTexts: readonly string[]): Promise<ExportedModel> {
  const onnx = textNetworkToOnnx(model.quantized ?? model.network, { ...target.metadata, precision: model.precision, featurizer: JSON.stringify(model.featurizer.config) });
  const sizes = await writeTextModel(target.manifestPath, model, onnx);
  const onnxDifference = await onnxParity(model, onnx, sampleTexts);
  if (!(onnxDifference <= MAX_ONNX_DIFFERENCE)) {
    throw new Error(`the ${model.precision} ONNX export disagrees with its weights by ${onnxDifference} (limit ${MAX_ONNX_DIFFERENCE})`);
  }
  return { ...sizes, onnxDifference };
}
