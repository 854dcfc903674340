import type { SparseVector } from '../features/sparse-vector.js';

/** Module-local copies: under jest's vm context each global lookup goes through an interceptor, which made this hot path several times slower in tests. */
const { exp, max } = Math;

export const NETWORK_KINDS = ['softmax', 'mlp'] as const;
export type NetworkKind = (typeof NETWORK_KINDS)[number];

/** A fully connected layer: `rows × cols` weights, row-major (row = input unit), and one bias per output. */
export interface DenseLayer {
  rows: number;
  cols: number;
  weights: Float32Array;
  bias: Float32Array;
}

/**
 * softmax: one layer from the hashed features to the classes.
 * mlp: hashed features → hidden layer (ReLU) → classes.
 * The first layer reads a sparse input, so only the rows of the buckets present in a text are touched.
 */
export interface TextNetwork {
  kind: NetworkKind;
  labels: string[];
  layers: DenseLayer[];
}

export function denseLayer(rows: number, cols: number): DenseLayer {
  return { rows, cols, weights: new Float32Array(rows * cols), bias: new Float32Array(cols) };
}

export function cloneNetwork(network: TextNetwork): TextNetwork {
  return {
    kind: network.kind,
    labels: [...network.labels],
    layers: network.layers.map((l) => ({ rows: l.rows, cols: l.cols, weights: l.weights.slice(), bias: l.bias.slice() })),
  };
}

/** Buffers reused across forward passes of one network (one per thread: training and inference are synchronous). */
export interface ForwardScratch {
  /** Pre-activations of the first layer. */
  first: Float64Array;
  /** Hidden activations (mlp only). */
  hidden: Float64Array;
  /** Class probabilities. */
  probabilities: Float64Array;
}

export function forwardScratch(network: TextNetwork): ForwardScratch {
  const first = network.layers[0] as DenseLayer;
  return { first: new Float64Array(first.cols), hidden: new Float64Array(first.cols), probabilities: new Float64Array(network.labels.length) };
}

/** Class probabilities of one feature vector, written into `scratch.probabilities`. */
export function forward(network: TextNetwork, x: SparseVector, scratch: ForwardScratch): Float64Array {
  const [first, second] = network.layers as [DenseLayer, DenseLayer | undefined];
  const z = scratch.first;
  const { cols, weights } = first;
  const { indices, values } = x;
  // One output at a time: its sum stays in a register instead of a store and reload per
  // feature, and each output still adds the features in order, so results are unchanged.
  for (let c = 0; c < cols; c++) {
    let sum = first.bias[c] as number;
    for (let k = 0; k < indices.length; k++) sum += (values[k] as number) * (weights[(indices[k] as number) * cols + c] as number);
    z[c] = sum;
  }
  if (!second) return softmaxInto(z, scratch.probabilities);
  const h = scratch.hidden;
  for (let j = 0; j < cols; j++) h[j] = max(0, z[j] as number);
  const logits = scratch.probabilities;
  for (let c = 0; c < second.cols; c++) logits[c] = second.bias[c] as number;
  for (let j = 0; j < second.rows; j++) {
    const a = h[j] as number;
    if (a === 0) continue;
    const row = j * second.cols;
    for (let c = 0; c < second.cols; c++) logits[c] = (logits[c] as number) + a * (second.weights[row + c] as number);
  }
  return softmaxInto(logits, logits);
}

function softmaxInto(logits: Float64Array, out: Float64Array): Float64Array {
  let largest = -Infinity;
  for (let c = 0; c < out.length; c++) if ((logits[c] as number) > largest) largest = logits[c] as number;
  let total = 0;
  for (let c = 0; c < out.length; c++) {
    const e = exp((logits[c] as number) - largest);
    out[c] = e;
    total += e;
  }
  for (let c = 0; c < out.length; c++) out[c] = (out[c] as number) / total;
  return out;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}
