import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TextFeaturizer } from '../features/text-featurizer.js';
import { dequantizeNetwork, type QuantizedNetwork } from '../network/quantize-network.js';
import type { TextNetwork } from '../network/text-network.js';
import { MODEL_FORMAT, modelManifestSchema, type ModelManifest, type TensorEntry } from './model-manifest.js';
import { onnxInitializers } from './onnx-initializers.js';
import { TextModel } from './text-model.js';

export const WEIGHTS_FILE = 'weights.bin';
export const ONNX_FILE = 'model.onnx';

type Tensor = Float32Array | Int8Array;
type TensorType<T extends Tensor> = { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number };

/**
 * Writes `model.json`, `weights.bin` and `model.onnx` into the directory of `manifestPath`; returns
 * their sizes in bytes. The network's weights are stored once, in the ONNX file, and read back
 * from its initializers; weights.bin holds only what the graph does not (the featurizer's IDF).
 */
export async function writeTextModel(manifestPath: string, model: TextModel, onnx: Uint8Array): Promise<{ weightsBytes: number; onnxBytes: number }> {
  const dir = dirname(manifestPath);
  await mkdir(dir, { recursive: true });
  const idf = model.featurizer.idf;
  const tensors: TensorEntry[] = [{ name: 'idf', dtype: 'float32', offset: 0, length: idf.length }];
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    formatVersion: 2,
    kind: model.network.kind,
    precision: model.precision,
    labels: model.labels,
    featurizer: model.featurizer.config,
    layers: model.network.layers.map((l) => ({ rows: l.rows, cols: l.cols })),
    weightsFile: WEIGHTS_FILE,
    onnxFile: ONNX_FILE,
    tensors,
  };
  await writeFile(join(dir, WEIGHTS_FILE), new Uint8Array(idf.buffer, idf.byteOffset, idf.byteLength));
  await writeFile(join(dir, ONNX_FILE), onnx);
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { weightsBytes: idf.byteLength, onnxBytes: onnx.byteLength };
}

/** Reads a model written by writeTextModel; throws with what is wrong when a file is missing or inconsistent. */
export async function readTextModel(manifestPath: string): Promise<TextModel> {
  const dir = dirname(manifestPath);
  const manifest = modelManifestSchema.parse(JSON.parse(await readFile(manifestPath, 'utf8')));
  const bytes = await readFile(join(dir, manifest.weightsFile));
  const entries = new Map(manifest.tensors.map((entry) => [entry.name, entry]));
  // Format 1 kept every tensor in weights.bin; format 2 keeps the network's in the ONNX file only.
  const graph = manifest.formatVersion === 1 ? new Map<string, Uint8Array>() : onnxInitializers(await readFile(join(dir, manifest.onnxFile)));
  const read = <T extends Tensor>(name: string, type: TensorType<T>, length: number): T => {
    const entry = entries.get(name);
    const raw = entry ? undefined : graph.get(name);
    if (!entry && !raw) throw new Error(`neither ${manifest.weightsFile} nor ${manifest.onnxFile} has the tensor ${name}`);
    const count = entry ? entry.length : (raw as Uint8Array).byteLength / type.BYTES_PER_ELEMENT;
    if (count !== length) throw new Error(`${name} has ${count} values where model.json implies ${length}`);
    const [source, start] = entry ? [bytes, entry.offset] : [raw as Uint8Array, 0];
    const end = start + length * type.BYTES_PER_ELEMENT;
    if (end > source.byteLength) throw new Error(`${manifest.weightsFile} is truncated at ${name}`);
    // A copy: a view's offset into its buffer may not be aligned for a Float32Array.
    return new type(source.buffer.slice(source.byteOffset + start, source.byteOffset + end) as ArrayBuffer);
  };
  const featurizer = new TextFeaturizer(manifest.featurizer, read('idf', Float32Array, manifest.featurizer.dimensions));
  const { kind, labels } = manifest;
  if (manifest.precision === 'int8') {
    const quantized: QuantizedNetwork = {
      kind,
      labels,
      layers: manifest.layers.map(({ rows, cols }, i) => ({
        rows,
        cols,
        weights: read(`layer${i}.weights`, Int8Array, rows * cols),
        scales: read(`layer${i}.scales`, Float32Array, cols),
        bias: read(`layer${i}.bias`, Float32Array, cols),
      })),
    };
    return new TextModel(featurizer, dequantizeNetwork(quantized), quantized);
  }
  const network: TextNetwork = {
    kind,
    labels,
    layers: manifest.layers.map(({ rows, cols }, i) => ({
      rows,
      cols,
      weights: read(`layer${i}.weights`, Float32Array, rows * cols),
      bias: read(`layer${i}.bias`, Float32Array, cols),
    })),
  };
  return new TextModel(featurizer, network);
}
