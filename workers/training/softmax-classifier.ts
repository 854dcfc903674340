import { hashedFeatures, type SparseVector } from './hashed-features.js';

/** The trained parameters, serialisable as JSON. */
export interface SoftmaxModel {
  kind: 'hashed-softmax-regression';
  dimensions: number;
  labels: string[];
  /** labels.length × dimensions, row-major. */
  weights: number[];
  bias: number[];
}

export class SoftmaxClassifier {
  readonly weights: Float32Array;
  readonly bias: Float32Array;

  constructor(
    readonly labels: string[],
    readonly dimensions: number,
    weights?: ArrayLike<number>,
    bias?: ArrayLike<number>,
  ) {
    this.weights = weights ? Float32Array.from(weights) : new Float32Array(labels.length * dimensions);
    this.bias = bias ? Float32Array.from(bias) : new Float32Array(labels.length);
  }

  static fromModel(model: SoftmaxModel): SoftmaxClassifier {
    return new SoftmaxClassifier(model.labels, model.dimensions, model.weights, model.bias);
  }

  toModel(): SoftmaxModel {
    return {
      kind: 'hashed-softmax-regression',
      dimensions: this.dimensions,
      labels: this.labels,
      weights: Array.from(this.weights),
      bias: Array.from(this.bias),
    };
  }

  features(text: string): SparseVector {
    return hashedFeatures(text, this.dimensions);
  }

  /** Class probabilities for one feature vector. */
  probabilities(x: SparseVector): Float64Array {
    const { labels, dimensions, weights, bias } = this;
    const logits = new Float64Array(labels.length);
    let max = -Infinity;
    for (let c = 0; c < labels.length; c++) {
      let sum = bias[c] as number;
      const row = c * dimensions;
      for (let k = 0; k < x.indices.length; k++) sum += (weights[row + (x.indices[k] as number)] as number) * (x.values[k] as number);
      logits[c] = sum;
      if (sum > max) max = sum;
    }
    let total = 0;
    for (let c = 0; c < logits.length; c++) {
      logits[c] = Math.exp((logits[c] as number) - max);
      total += logits[c] as number;
    }
    for (let c = 0; c < logits.length; c++) logits[c] = (logits[c] as number) / total;
    return logits;
  }

  /** One SGD step on one example; returns its cross-entropy loss before the step. */
  step(x: SparseVector, target: number, learningRate: number): number {
    const p = this.probabilities(x);
    const { dimensions, weights, bias } = this;
    for (let c = 0; c < p.length; c++) {
      const gradient = (p[c] as number) - (c === target ? 1 : 0);
      if (gradient === 0) continue;
      bias[c] = (bias[c] as number) - learningRate * gradient;
      const row = c * dimensions;
      for (let k = 0; k < x.indices.length; k++) {
        const index = row + (x.indices[k] as number);
        weights[index] = (weights[index] as number) - learningRate * gradient * (x.values[k] as number);
      }
    }
    return -Math.log(Math.max(p[target] as number, 1e-12));
  }

  predict(text: string): { label: string; probability: number } {
    const p = this.probabilities(this.features(text));
    let best = 0;
    for (let c = 1; c < p.length; c++) if ((p[c] as number) > (p[best] as number)) best = c;
    return { label: this.labels[best] as string, probability: p[best] as number };
  }
}
