import { rowOf } from '../features/sparse-matrix.js';
import type { LabelledMatrix } from './labelled-matrix.js';
import { argmax, forward, forwardScratch, type TextNetwork } from './text-network.js';

/** Module-local copies: under jest's vm context each global lookup goes through an interceptor, which made this hot path several times slower in tests. */
const { log, max } = Math;

export interface NetworkScore {
  /** Mean cross-entropy. */
  loss: number;
  accuracy: number;
  /** Predicted label index per row. */
  predictions: Int32Array;
}

/** The smallest probability a loss is computed from: a confident mistake costs about 27.6 nats, not infinity. */
export const MIN_PROBABILITY = 1e-12;

export function evaluateNetwork(network: TextNetwork, data: LabelledMatrix): NetworkScore {
  const scratch = forwardScratch(network);
  const predictions = new Int32Array(data.features.rows);
  let loss = 0;
  let correct = 0;
  for (let r = 0; r < data.features.rows; r++) {
    const p = forward(network, rowOf(data.features, r), scratch);
    const target = data.targets[r] as number;
    loss -= log(max(p[target] as number, MIN_PROBABILITY));
    const predicted = argmax(p);
    predictions[r] = predicted;
    if (predicted === target) correct++;
  }
  const rows = max(1, data.features.rows);
  return { loss: loss / rows, accuracy: correct / rows, predictions };
}
