import { seededRandom } from '../seeded-random.js';
import { denseLayer, type DenseLayer, type NetworkKind, type TextNetwork } from './text-network.js';

/** Standard normal samples (Box–Muller) from a seeded uniform source. */
function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * An output layer of zeros for softmax regression (its loss is convex, so no symmetry to break),
 * He-initialised for the dense output of an MLP.
 */
export function outputLayer(inputs: number, classes: number, hiddenInputs: boolean, seed: number): DenseLayer {
  const layer = denseLayer(inputs, classes);
  if (hiddenInputs) {
    const normal = gaussian(seededRandom(seed));
    const std = Math.sqrt(2 / inputs);
    for (let i = 0; i < layer.weights.length; i++) layer.weights[i] = normal() * std;
  }
  return layer;
}

/**
 * The hidden layer of an MLP starts at zero weights and a small positive bias:
 * the random output layer already makes each hidden unit's gradient different,
 * and a hashed bucket no training text touches keeps a zero row, so unseen words
 * add no noise at inference time.
 */
export function hiddenLayer(dimensions: number, hidden: number): DenseLayer {
  const layer = denseLayer(dimensions, hidden);
  layer.bias.fill(0.1);
  return layer;
}

export function initNetwork(kind: NetworkKind, labels: string[], dimensions: number, hidden: number, seed: number): TextNetwork {
  if (kind === 'softmax') return { kind, labels: [...labels], layers: [outputLayer(dimensions, labels.length, false, seed)] };
  return { kind, labels: [...labels], layers: [hiddenLayer(dimensions, hidden), outputLayer(hidden, labels.length, true, seed)] };
}
