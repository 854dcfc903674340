import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { userFacingMessage } from '../../core/index.js';
import { splitDataset } from '../training/dataset/dataset-split.js';
import { loadTextDataset, type TextExample } from '../training/dataset/text-dataset.js';
import { ONNX_FILE, readTextModel } from '../training/model/model-files.js';
import { TextModel } from '../training/model/text-model.js';
import { dequantizeNetwork, quantizeNetwork } from '../training/network/quantize-network.js';
import { exportTextModel, type ExportTarget } from './export-text-model.js';
import { onnxAccuracy, onnxLatencies, type Latency } from './onnx-benchmarks.js';
import { OnnxTextSession } from './onnx-text-session.js';

export interface QuantizeRequest {
  /** model.json of the FP32 version. */
  sourceManifest: string;
  target: ExportTarget;
  /** The dataset the source was trained on, to compare accuracy on its test split. */
  dataset: { path: string; workDir: string; seed: number; hash: string };
  /** Batch-1 latency is timed on this many test texts. */
  latencyTexts: number;
}

export interface QuantizeOutcome {
  fp32Bytes: number;
  int8Bytes: number;
  onnxDifference: number;
  /** Absent when the dataset cannot be read any more (see `note`). */
  accuracy?: { fp32: number; int8: number; examples: number };
  latency: { fp32: Latency; int8: Latency };
  note?: string;
}

/** The examples the source version was tested on, or why there are none. */
async function testExamples(dataset: QuantizeRequest['dataset']): Promise<{ examples: TextExample[]; note?: string }> {
  try {
    const loaded = await loadTextDataset(dataset.path, dataset.workDir);
    const split = splitDataset(loaded.examples, dataset.seed);
    const examples = split.test.length > 0 ? split.test : split.validation;
    return loaded.hash === dataset.hash ? { examples } : { examples, note: `${dataset.path} changed since the source version was trained` };
  } catch (error) {
    return { examples: [], note: `accuracy not compared: ${userFacingMessage(error)}` };
  }
}

/**
 * INT8 quantisation of a saved FP32 model: quantize, export and save, then compare
 * the two ONNX files with onnxruntime on the source's test split (accuracy) and one
 * text at a time (latency, featurisation included).
 */
export async function quantizeTextModel(request: QuantizeRequest, report: (message: string, percent: number) => void = () => {}): Promise<QuantizeOutcome> {
  const fp32 = await readTextModel(request.sourceManifest);
  const fp32Onnx = join(dirname(request.sourceManifest), ONNX_FILE);
  const fp32Bytes = (await stat(fp32Onnx)).size;
  report('quantizing weights to INT8', 20);
  const quantized = quantizeNetwork(fp32.network);
  const int8 = new TextModel(fp32.featurizer, dequantizeNetwork(quantized), quantized);
  const { examples, note } = await testExamples(request.dataset);
  const texts = examples.map((e) => e.text);
  const exported = await exportTextModel(int8, request.target, texts.slice(0, 32));

  report('comparing INT8 with FP32 on the test split', 40);
  const fp32Session = await OnnxTextSession.load(fp32Onnx, fp32.labels.length);
  const int8Session = await OnnxTextSession.load(join(dirname(request.target.manifestPath), ONNX_FILE), int8.labels.length).catch(async (error: unknown) => {
    await fp32Session.close();
    throw error;
  });
  const sessions = [fp32Session, int8Session] as const;
  try {
    let accuracy: QuantizeOutcome['accuracy'];
    if (examples.length > 0) {
      const features = texts.map((text) => fp32.featurizer.featurize(text));
      const labelIndex = new Map(fp32.labels.map((label, i) => [label, i]));
      const targets = Int32Array.from(examples, (e) => labelIndex.get(e.label) ?? -1);
      accuracy = { fp32: await onnxAccuracy(sessions[0], features, targets), int8: await onnxAccuracy(sessions[1], features, targets), examples: examples.length };
    }
    report('measuring latency', 70);
    const timed = texts.length > 0 ? texts.slice(0, request.latencyTexts) : ['a short text to time'];
    const [fp32Latency, int8Latency] = (await onnxLatencies(sessions, fp32.featurizer, timed)) as [Latency, Latency];
    return {
      fp32Bytes,
      int8Bytes: exported.onnxBytes,
      onnxDifference: exported.onnxDifference,
      ...(accuracy ? { accuracy } : {}),
      latency: { fp32: fp32Latency, int8: int8Latency },
      ...(note ? { note } : {}),
    };
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
}
