/** Temperature scaling and the expected calibration error, on probability rows (the model's softmax output). */

/** Probabilities softened (T > 1) or sharpened (T < 1): softmax(log p / T), the same as dividing the logits by T. */
export function withTemperature(probabilities: ArrayLike<number>, temperature: number): Float64Array {
  const out = new Float64Array(probabilities.length);
  let largest = -Infinity;
  for (let c = 0; c < out.length; c++) {
    out[c] = Math.log(Math.max(probabilities[c] as number, 1e-12)) / temperature;
    largest = Math.max(largest, out[c] as number);
  }
  let total = 0;
  for (let c = 0; c < out.length; c++) {
    out[c] = Math.exp((out[c] as number) - largest);
    total += out[c] as number;
  }
  for (let c = 0; c < out.length; c++) out[c] = (out[c] as number) / total;
  return out;
}

function negativeLogLikelihood(rows: readonly ArrayLike<number>[], targets: readonly number[], temperature: number): number {
  let sum = 0;
  rows.forEach((row, i) => (sum -= Math.log(Math.max(withTemperature(row, temperature)[targets[i] as number] as number, 1e-12))));
  return sum / Math.max(1, rows.length);
}

/** The temperature with the lowest log loss on a calibration set, searched on a fixed grid so training stays reproducible. */
export function fitTemperature(rows: readonly ArrayLike<number>[], targets: readonly number[]): number {
  let best = 1;
  let bestLoss = negativeLogLikelihood(rows, targets, 1);
  for (let t = 0.25; t <= 8.0001; t += 0.05) {
    const temperature = Math.round(t * 100) / 100;
    const loss = negativeLogLikelihood(rows, targets, temperature);
    if (loss < bestLoss - 1e-12) {
      best = temperature;
      bestLoss = loss;
    }
  }
  return best;
}

/** Expected calibration error over equal-width confidence bins: how far stated confidence is from accuracy, weighted by bin size. */
export function expectedCalibrationError(confidences: readonly number[], correct: readonly boolean[], bins = 10): number {
  const count = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  const hits = new Array<number>(bins).fill(0);
  confidences.forEach((c, i) => {
    const bin = Math.min(bins - 1, Math.floor(c * bins));
    count[bin]! += 1;
    confidence[bin]! += c;
    if (correct[i]) hits[bin]! += 1;
  });
  let error = 0;
  for (let b = 0; b < bins; b++) {
    if (count[b] === 0) continue;
    error += (count[b]! / confidences.length) * Math.abs(hits[b]! / count[b]! - confidence[b]! / count[b]!);
  }
  return error;
}
