import { argmax } from './argmax.js';
import { metric, notAvailable, type Metric } from './metric.js';

/**
 * Expected calibration error: examples binned by confidence (the top probability) into
 * `bins` equal-width bins [i/bins, (i+1)/bins), the last one closed; the gap between each
 * bin's accuracy and mean confidence, weighted by its share of the examples.
 */
export function expectedCalibrationError(actual: readonly number[], probabilities: readonly (readonly number[])[], bins = 10): Metric {
  if (actual.length === 0) return notAvailable('no examples');
  const count = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  const correct = new Array<number>(bins).fill(0);
  for (let i = 0; i < actual.length; i++) {
    const row = probabilities[i] as readonly number[];
    const predicted = argmax(row);
    const top = row[predicted] as number;
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(top * bins)));
    count[bin] = (count[bin] as number) + 1;
    confidence[bin] = (confidence[bin] as number) + top;
    if (predicted === actual[i]) correct[bin] = (correct[bin] as number) + 1;
  }
  let error = 0;
  for (let b = 0; b < bins; b++) error += Math.abs((correct[b] as number) - (confidence[b] as number)) / actual.length;
  return metric(error);
}
