import { dirname, join } from 'node:path';
import type { ModelVersion } from '../core/index.js';
import { OnnxTextSession } from '../workers/onnx/onnx-text-session.js';
import { ONNX_FILE, loadTextModel, type ModelPrecision, type TextFeaturizer } from '../workers/training/index.js';

/** A registered version loaded for serving: its featurizer in JS, its network in onnxruntime-node. */
export interface ServedModel {
  name: string;
  version: number;
  precision: ModelPrecision;
  labels: readonly string[];
  /** Class probabilities per text, from one ORT run over the whole batch. */
  predict(texts: readonly string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** Loads a version the way training and quantization wrote it: model.json and its IDF, then model.onnx beside them. */
export async function loadServedModel(dataDir: string, version: ModelVersion): Promise<ServedModel> {
  const model = await loadTextModel(dataDir, version);
  const session = await OnnxTextSession.load(join(dataDir, dirname(version.artifactPath), ONNX_FILE), model.labels.length);
  return servedModel(version, model.precision, model.labels, model.featurizer, session);
}

function servedModel(version: ModelVersion, precision: ModelPrecision, labels: readonly string[], featurizer: TextFeaturizer, session: OnnxTextSession): ServedModel {
  return {
    name: version.model,
    version: version.version,
    precision,
    labels,
    predict: (texts) => session.predict(texts.map((text) => featurizer.featurize(text))),
    close: () => session.close(),
  };
}
