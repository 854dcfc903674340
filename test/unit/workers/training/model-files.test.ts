/**
 * @jest-environment ./test/helpers/onnx-environment.ts
 */
import { readdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { textNetworkToOnnx } from '../../../../workers/onnx/text-network-onnx.js';
import { DEFAULT_FEATURIZER_CONFIG, quantizeNetwork, dequantizeNetwork, readTextModel, TextFeaturizer, TextModel, writeTextModel, type TextNetwork } from '../../../../workers/training/index.js';
import { tempDir } from './training-fixtures.js';

/** A 64-unit MLP over 2^12 buckets with seeded weights: the shape whose versions took 130 MB at 2^18. */
function mlp(): TextModel {
  const config = { ...DEFAULT_FEATURIZER_CONFIG, dimensions: 1 << 12 };
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
  const layer = (rows: number, cols: number) => ({ rows, cols, weights: Float32Array.from({ length: rows * cols }, random), bias: Float32Array.from({ length: cols }, random) });
  const network: TextNetwork = { kind: 'mlp', labels: ['ham', 'spam'], layers: [layer(config.dimensions, 64), layer(64, 2)] };
  return new TextModel(new TextFeaturizer(config, Float32Array.from({ length: config.dimensions }, () => 1 + random())), network);
}

const sizeOf = (dir: string) => readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
const texts = ['free money now', 'meeting at noon', 'win a prize today'];

describe('saved model files', () => {
  const { dir, remove } = tempDir();
  afterAll(remove);

  it.each(['fp32', 'int8'] as const)('store the %s network weights once, in model.onnx, and read them back from it', async (precision) => {
    const fp32 = mlp();
    const quantized = quantizeNetwork(fp32.network);
    const model = precision === 'fp32' ? fp32 : new TextModel(fp32.featurizer, dequantizeNetwork(quantized), quantized);
    const onnx = textNetworkToOnnx(model.quantized ?? model.network, {});
    const sizes = await writeTextModel(join(dir, precision, 'model.json'), model, onnx);
    // Besides the ONNX file: the IDF table and a small model.json, not a second copy of the weights.
    expect(sizes.weightsBytes).toBe(model.featurizer.idf.byteLength);
    expect(sizeOf(join(dir, precision)) - onnx.byteLength - sizes.weightsBytes).toBeLessThan(4096);
    const loaded = await readTextModel(join(dir, precision, 'model.json'));
    expect(loaded.precision).toBe(precision);
    expect(loaded.network.layers.map((l) => l.weights)).toEqual(model.network.layers.map((l) => l.weights));
    expect(loaded.predictProba(texts)).toEqual(model.predictProba(texts));
  });

  it('still reads a version saved by the old format, with every tensor in weights.bin', async () => {
    const model = mlp();
    const path = join(dir, 'old', 'model.json');
    await writeTextModel(path, model, textNetworkToOnnx(model.network, {}));
    const tensors: Array<[string, Float32Array]> = [['idf', model.featurizer.idf], ...model.network.layers.flatMap((l, i): Array<[string, Float32Array]> => [[`layer${i}.weights`, l.weights], [`layer${i}.bias`, l.bias]])];
    let offset = 0;
    const entries = tensors.map(([name, t]) => ({ name, dtype: 'float32', offset: (offset += t.byteLength) - t.byteLength, length: t.length }));
    writeFileSync(join(dir, 'old', 'weights.bin'), Buffer.concat(tensors.map(([, t]) => Buffer.from(t.buffer, t.byteOffset, t.byteLength))));
    // The old ONNX file held the same weights; an empty one proves they are read from weights.bin.
    writeFileSync(join(dir, 'old', 'model.onnx'), new Uint8Array());
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), formatVersion: 1, tensors: entries }));
    expect((await readTextModel(path)).predictProba(texts)).toEqual(model.predictProba(texts));
  });
});
