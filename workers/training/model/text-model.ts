import type { TextFeaturizer } from '../features/text-featurizer.js';
import type { QuantizedNetwork } from '../network/quantize-network.js';
import { forward, forwardScratch, type ForwardScratch, type TextNetwork } from '../network/text-network.js';

export type ModelPrecision = 'fp32' | 'int8';

/**
 * A trained text classifier: its featurizer and its network. An INT8 model keeps its
 * quantized weights (what is saved and exported) and predicts with their exact float
 * values, so its JS and ONNX predictions agree.
 */
export class TextModel {
  private readonly scratch: ForwardScratch;

  constructor(
    readonly featurizer: TextFeaturizer,
    readonly network: TextNetwork,
    readonly quantized?: QuantizedNetwork,
  ) {
    this.scratch = forwardScratch(network);
  }

  get labels(): string[] {
    return this.network.labels;
  }

  get precision(): ModelPrecision {
    return this.quantized ? 'int8' : 'fp32';
  }

  /** Class probabilities per text, in the order of `labels`. */
  predictProba(texts: readonly string[]): Float32Array[] {
    return texts.map((text) => new Float32Array(forward(this.network, this.featurizer.featurizeReused(text), this.scratch)));
  }
}
