import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TextFeaturizer } from '../features/text-featurizer.js';
import { dequantizeNetwork, type QuantizedNetwork } from '../network/quantize-network.js';
import type { TextNetwork } from '../network/text-network.js';
import { MODEL_FORMAT, modelManifestSchema, type ModelManifest, type TensorEntry } from './model-manifest.js';
import { TextModel } from './text-model.js';

export const WEIGHTS_FILE = 'weights.bin';
export const ONNX_FILE = 'model.onnx';

type Tensor = Float32Array | Int8Array;

function tensorsOf(model: TextModel): Array<[string, Tensor]> {
  const layers = model.quantized?.layers ?? model.network.layers;
  return [
    ['idf', model.featurizer.idf],
    ...layers.flatMap((layer, i): Array<[string, Tensor]> => [
      [`layer${i}.weights`, layer.weights],
      ...('scales' in layer ? [[`layer${i}.scales`, layer.scales] as [string, Tensor]] : []),
      [`layer${i}.bias`, layer.bias],
    ]),
  ];
}

/** Writes `model.json`, `weights.bin` and `model.onnx` into the directory of `manifestPath`; returns their sizes in bytes. */
export async function writeTextModel(manifestPath: string, model: TextModel, onnx: Uint8Array): Promise<{ weightsBytes: number; onnxBytes: number }> {
  const dir = dirname(manifestPath);
  await mkdir(dir, { recursive: true });
  const entries: TensorEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, tensor] of tensorsOf(model)) {
    const bytes = new Uint8Array(tensor.buffer, tensor.byteOffset, tensor.byteLength);
    const padding = (4 - (bytes.byteLength % 4)) % 4;
    entries.push({ name, dtype: tensor instanceof Int8Array ? 'int8' : 'float32', offset, length: tensor.length });
    chunks.push(bytes, new Uint8Array(padding));
    offset += bytes.byteLength + padding;
  }
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    formatVersion: 1,
    kind: model.network.kind,
    precision: model.precision,
    labels: model.labels,
    featurizer: model.featurizer.config,
    layers: model.network.layers.map((l) => ({ rows: l.rows, cols: l.cols })),
    weightsFile: WEIGHTS_FILE,
    onnxFile: ONNX_FILE,
    tensors: entries,
  };
  await writeFile(join(dir, WEIGHTS_FILE), Buffer.concat(chunks));
  await writeFile(join(dir, ONNX_FILE), onnx);
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { weightsBytes: offset, onnxBytes: onnx.byteLength };
}

/** Reads a model written by writeTextModel; throws with what is wrong when a file is missing or inconsistent. */
export async function readTextModel(manifestPath: string): Promise<TextModel> {
  const manifest = modelManifestSchema.parse(JSON.parse(await readFile(manifestPath, 'utf8')));
  const bytes = await readFile(join(dirname(manifestPath), manifest.weightsFile));
  const tensors = new Map(manifest.tensors.map((entry) => [entry.name, entry]));
  const read = <T extends Tensor>(name: string, type: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number): T => {
    const entry = tensors.get(name);
    if (!entry) throw new Error(`${manifest.weightsFile} has no tensor ${name}`);
    if (entry.length !== length) throw new Error(`${name} has ${entry.length} values where model.json implies ${length}`);
    const end = entry.offset + entry.length * type.BYTES_PER_ELEMENT;
    if (end > bytes.byteLength) throw new Error(`${manifest.weightsFile} is truncated at ${name}`);
    // A copy: Buffer's offset into its pool may not be aligned for a Float32Array view.
    return new type(bytes.buffer.slice(bytes.byteOffset + entry.offset, bytes.byteOffset + end) as ArrayBuffer);
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
