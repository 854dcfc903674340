import type { TextModel } from '../training/model/text-model.js';
import { OnnxTextSession } from './onnx-text-session.js';

/** The largest |p_onnx − p_js| over the given texts and classes: how far an exported model strays from its trainer. */
export async function onnxParity(model: TextModel, onnx: Uint8Array | string, texts: readonly string[]): Promise<number> {
  if (texts.length === 0) return 0;
  const session = await OnnxTextSession.load(onnx, model.labels.length);
  try {
    const expected = model.predictProba(texts);
    const actual = await session.predict(texts.map((text) => model.featurizer.featurize(text)));
    let max = 0;
    expected.forEach((p, i) => p.forEach((value, c) => (max = Math.max(max, Math.abs(value - (actual[i]?.[c] ?? Number.NaN))))));
    return Number.isNaN(max) ? Number.POSITIVE_INFINITY : max;
  } finally {
    await session.close();
  }
}
