import type { Prediction } from '../prediction.js';

/**
 * Writes V1 predictions as JSON text, byte for byte what JSON.stringify writes for
 * `{label, probabilities: {<label>: p, ...}}`, from fragments computed once per model: the
 * label strings escaped once, the probabilities' keys in the order a JS object would hold
 * them (integer-like labels first). Each prediction's text is kept on it (Prediction.v1Json),
 * so a cached prediction is serialised once, not on every hit.
 */
export class V1PredictionJson {
  private readonly labelJson: string[];
  /** `"label":` of each probabilities key in JSON.stringify's order, and the class it reads. */
  private readonly keys: { prefix: string; index: number }[];

  constructor(labels: readonly string[]) {
    this.labelJson = labels.map((label) => JSON.stringify(label));
    const byLabel: Record<string, number> = {};
    labels.forEach((label, k) => (byLabel[label] = k));
    this.keys = Object.keys(byLabel).map((label, n) => ({ prefix: `${n === 0 ? '' : ','}${JSON.stringify(label)}:`, index: byLabel[label] as number }));
  }

  /** `{"predictions":[...]}` of these predictions. */
  response(predictions: readonly Prediction[]): string {
    if (predictions.length === 1) return `{"predictions":[${this.prediction(predictions[0] as Prediction)}]}`;
    let body = '{"predictions":[';
    for (let i = 0; i < predictions.length; i++) body += (i === 0 ? '' : ',') + this.prediction(predictions[i] as Prediction);
    return `${body}]}`;
  }

  private prediction(prediction: Prediction): string {
    if (prediction.v1Json !== undefined) return prediction.v1Json;
    let text = `{"label":${this.labelJson[prediction.labelIndex]},"probabilities":{`;
    for (const { prefix, index } of this.keys) text += prefix + number(prediction.probabilities[index] as number);
    prediction.v1Json = `${text}}}`;
    return prediction.v1Json;
  }
}

/** A number as JSON writes it: Number#toString when finite, null otherwise. */
const number = (value: number): string => (Number.isFinite(value) ? String(value) : 'null');
