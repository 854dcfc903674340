import { V1PredictionJson } from '../../../model-server/http/v1-prediction-json.js';
import { predictionOf } from '../../../model-server/prediction.js';

/** What the route wrote before the fragments: JSON.stringify of the V1 objects. */
function stringified(labels: readonly string[], rows: Float32Array[]): string {
  return JSON.stringify({
    predictions: rows.map((probabilities) => {
      const { labelIndex } = predictionOf(probabilities);
      const byLabel: Record<string, number> = {};
      labels.forEach((label, k) => (byLabel[label] = probabilities[k] as number));
      return { label: labels[labelIndex], probabilities: byLabel };
    }),
  });
}

describe('V1PredictionJson', () => {
  it.each([
    ['plain labels', ['negative', 'positive']],
    ['labels needing escapes', ['say "hi"', 'back\\slash', 'naïve ✓', 'tab\there']],
    ['integer-like labels, which a JS object puts first', ['spam', '10', 'ham', '2']],
  ])('writes exactly what JSON.stringify writes (%s)', (_what, labels) => {
    const encoder = new V1PredictionJson(labels);
    const rows = [0.1, 0.7, 1 / 3].map((p) => Float32Array.from(labels, (_, k) => (k === 0 ? p : (1 - p) / (labels.length - 1))));
    expect(encoder.response(rows.map(predictionOf))).toBe(stringified(labels, rows));
    expect(encoder.response(rows.slice(0, 1).map(predictionOf))).toBe(stringified(labels, rows.slice(0, 1)));
  });

  it('writes non-finite probabilities as null, as JSON does', () => {
    const row = Float32Array.from([Number.NaN, Number.POSITIVE_INFINITY, -0]);
    expect(new V1PredictionJson(['a', 'b', 'c']).response([predictionOf(row)])).toBe(stringified(['a', 'b', 'c'], [row]));
  });

  it('keeps a prediction\'s JSON on it, so a cached prediction is serialised once', () => {
    const prediction = predictionOf(Float32Array.from([0.25, 0.75]));
    const encoder = new V1PredictionJson(['negative', 'positive']);
    const first = encoder.response([prediction]);
    expect(prediction.v1Json).toBe('{"label":"positive","probabilities":{"negative":0.25,"positive":0.75}}');
    expect(encoder.response([prediction, prediction])).toBe(`{"predictions":[${prediction.v1Json},${prediction.v1Json}]}`);
    expect(first).toBe(`{"predictions":[${prediction.v1Json}]}`);
  });
});
