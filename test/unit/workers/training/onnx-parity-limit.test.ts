/**
 * @jest-environment ./test/helpers/onnx-environment.ts
 */
import { join } from 'node:path';
import { exportTextModel } from '../../../../workers/onnx/export-text-model.js';
import { onnxParity } from '../../../../workers/onnx/onnx-parity.js';
import { textNetworkToOnnx } from '../../../../workers/onnx/text-network-onnx.js';
import { cloneNetwork, type TextNetwork } from '../../../../workers/training/network/text-network.js';
import { dequantizeNetwork, quantizeNetwork, TextFeaturizer, TextModel, trainTextModel } from '../../../../workers/training/index.js';
import { fixtureRequest, fixtureRows, tempDir } from './training-fixtures.js';

/** The network with `delta` added to the first class's bias: its probabilities move by about `delta` times a constant. */
function nudged(network: TextNetwork, delta: number): TextNetwork {
  const copy = cloneNetwork(network);
  const last = copy.layers[copy.layers.length - 1];
  if (last) last.bias[0] = (last.bias[0] ?? 0) + delta;
  return copy;
}

/** The spec: an export's predictions match its weights within 1e-5; float32 rounding stays near 1e-7. */
describe('the ONNX export parity check', () => {
  const texts = fixtureRows().map((r) => r.text).slice(0, 32);
  let featurizer: TextFeaturizer;
  let network: TextNetwork;
  let remove: () => void;
  let dir: string;

  beforeAll(async () => {
    const outcome = await trainTextModel(fixtureRequest({ epochs: 2 }));
    featurizer = new TextFeaturizer(outcome.featurizer.config, outcome.featurizer.idf);
    network = outcome.network;
    ({ dir, remove } = tempDir());
  });
  afterAll(() => remove());

  const target = (name: string) => ({ manifestPath: join(dir, name, 'model.json'), metadata: {} });

  it('accepts FP32 and INT8 exports, whose ONNX files agree with their weights', async () => {
    expect((await exportTextModel(new TextModel(featurizer, network), target('fp32'), texts)).onnxDifference).toBeLessThanOrEqual(1e-5);
    const quantized = quantizeNetwork(network);
    const int8 = new TextModel(featurizer, dequantizeNetwork(quantized), quantized);
    expect((await exportTextModel(int8, target('int8'), texts)).onnxDifference).toBeLessThanOrEqual(1e-5);
  });

  it('refuses an export whose probabilities stray 5e-5 from its weights', async () => {
    // An INT8 model exports its quantized weights but predicts with `network`: nudge that to make the two disagree.
    const quantized = quantizeNetwork(network);
    const exact = dequantizeNetwork(quantized);
    const perUnit = (await onnxParity(new TextModel(featurizer, nudged(exact, 1e-3)), textNetworkToOnnx(quantized, {}), texts)) / 1e-3;
    const straying = new TextModel(featurizer, nudged(exact, 5e-5 / perUnit), quantized);
    const difference = await onnxParity(straying, textNetworkToOnnx(quantized, {}), texts);
    expect(difference).toBeGreaterThan(2e-5);
    expect(difference).toBeLessThan(1e-4);
    await expect(exportTextModel(straying, target('straying'), texts)).rejects.toThrow(/^the int8 ONNX export disagrees with its weights by [\d.e-]+ \(limit 0\.00001\)$/);
  });
});
