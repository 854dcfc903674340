/**
 * @jest-environment ./test/helpers/onnx-environment.ts
 */
import { join } from 'node:path';
import { onnxParity } from '../../../../workers/onnx/onnx-parity.js';
import { onnxAccuracy } from '../../../../workers/onnx/onnx-benchmarks.js';
import { OnnxTextSession } from '../../../../workers/onnx/onnx-text-session.js';
import { textNetworkToOnnx } from '../../../../workers/onnx/text-network-onnx.js';
import {
  dequantizeNetwork,
  quantizeNetwork,
  readTextModel,
  TextFeaturizer,
  TextModel,
  trainTextModel,
  writeTextModel,
  type NetworkKind,
} from '../../../../workers/training/index.js';
import { fixtureRequest, fixtureRows, tempDir } from './training-fixtures.js';

describe.each<NetworkKind>(['softmax', 'mlp'])('ONNX export of a %s model', (kind) => {
  let fp32: TextModel;
  let int8: TextModel;
  const rows = fixtureRows();
  const texts = rows.map((r) => r.text);

  beforeAll(async () => {
    const outcome = await trainTextModel(fixtureRequest({ algorithm: kind }));
    const featurizer = new TextFeaturizer(outcome.featurizer.config, outcome.featurizer.idf);
    fp32 = new TextModel(featurizer, outcome.network);
    const quantized = quantizeNetwork(outcome.network);
    int8 = new TextModel(featurizer, dequantizeNetwork(quantized), quantized);
  });

  it('gives onnxruntime-node probabilities within 1e-5 of the trainer’s, FP32 and INT8', async () => {
    expect(await onnxParity(fp32, textNetworkToOnnx(fp32.network, {}), texts)).toBeLessThanOrEqual(1e-5);
    expect(await onnxParity(int8, textNetworkToOnnx(int8.quantized ?? int8.network, {}), texts)).toBeLessThanOrEqual(1e-5);
  });

  it('releases a session only after the runs in flight, which still answer', async () => {
    const session = await OnnxTextSession.load(textNetworkToOnnx(fp32.network, {}), fp32.labels.length);
    const features = texts.slice(0, 8).map((text) => fp32.featurizer.featurize(text));
    const running = [session.predict(features), session.predict(features)];
    const closed = session.close();
    const answers = await Promise.all(running);
    await closed;
    expect(answers.map((batch) => batch.length)).toEqual([8, 8]);
    await expect(session.predict(features)).rejects.toThrow(/the ONNX session was closed/);
  });

  it('quantizes to INT8 at ≤ 30% of the FP32 file, within 1 point of its accuracy', async () => {
    const fp32Onnx = textNetworkToOnnx(fp32.network, {});
    const int8Onnx = textNetworkToOnnx(int8.quantized ?? int8.network, {});
    expect(int8Onnx.byteLength / fp32Onnx.byteLength).toBeLessThanOrEqual(0.3);
    const features = texts.map((t) => fp32.featurizer.featurize(t));
    const targets = Int32Array.from(rows, (r) => fp32.labels.indexOf(r.label));
    const sessions = [await OnnxTextSession.load(fp32Onnx, 2), await OnnxTextSession.load(int8Onnx, 2)];
    const [a, b] = [await onnxAccuracy(sessions[0] as OnnxTextSession, features, targets), await onnxAccuracy(sessions[1] as OnnxTextSession, features, targets)];
    await Promise.all(sessions.map((s) => s.close()));
    expect(a).toBeGreaterThan(0.8);
    expect(Math.abs((a as number) - (b as number))).toBeLessThanOrEqual(0.01);
  });

  it('saves and reloads the featurizer, weights and ONNX file, predicting the same', async () => {
    const { dir, remove } = tempDir();
    try {
      for (const model of [fp32, int8]) {
        const sizes = await writeTextModel(join(dir, model.precision, 'model.json'), model, textNetworkToOnnx(model.quantized ?? model.network, {}));
        const loaded = await readTextModel(join(dir, model.precision, 'model.json'));
        expect(loaded.precision).toBe(model.precision);
        expect(loaded.labels).toEqual(model.labels);
        expect(loaded.featurizer.config).toEqual(model.featurizer.config);
        expect(loaded.predictProba(texts.slice(0, 20))).toEqual(model.predictProba(texts.slice(0, 20)));
        expect(await onnxParity(loaded, join(dir, model.precision, 'model.onnx'), texts.slice(0, 20))).toBeLessThanOrEqual(1e-5);
        expect(sizes.onnxBytes).toBeGreaterThan(0);
      }
    } finally {
      remove();
    }
  });
});
