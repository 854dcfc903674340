import type { DenseLayer } from './text-network.js';

/** Module-local copies: under jest's vm context each global lookup goes through an interceptor, which made this hot path several times slower in tests. */
const { sqrt } = Math;

export interface AdamSettings {
  learningRate: number;
  /** L2 penalty on weights (not biases), added to their gradients. */
  l2: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

interface Moments {
  m: Float32Array;
  v: Float32Array;
  mBias: Float32Array;
  vBias: Float32Array;
}

/**
 * Adam whose sparse first layer only updates the rows a batch touched ("lazy Adam"):
 * a batch of texts touches a few thousand of the 2^18 hashed buckets, so a dense
 * update would cost a hundred times more than the gradient itself. Rows a batch
 * did not touch keep their moments, and the L2 penalty applies when a row is touched.
 */
export class LazyAdam {
  private step = 0;
  private readonly moments: Moments[];
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;

  constructor(
    layers: readonly DenseLayer[],
    private readonly settings: AdamSettings,
  ) {
    this.beta1 = settings.beta1 ?? 0.9;
    this.beta2 = settings.beta2 ?? 0.999;
    this.epsilon = settings.epsilon ?? 1e-8;
    this.moments = layers.map((l) => ({
      m: new Float32Array(l.weights.length),
      v: new Float32Array(l.weights.length),
      mBias: new Float32Array(l.cols),
      vBias: new Float32Array(l.cols),
    }));
  }

  /**
   * Applies one step. `gradients[i]` matches `layers[i]`; `rows[i]` lists the rows
   * with a gradient, or is undefined for a dense layer (every row).
   */
  apply(layers: readonly DenseLayer[], gradients: readonly DenseLayer[], rows: ReadonlyArray<Int32Array | undefined>): void {
    this.step++;
    const { beta1, beta2, epsilon } = this;
    const rate = (this.settings.learningRate * sqrt(1 - beta2 ** this.step)) / (1 - beta1 ** this.step);
    const l2 = this.settings.l2;
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i] as DenseLayer;
      const gradient = gradients[i] as DenseLayer;
      const { m, v, mBias, vBias } = this.moments[i] as Moments;
      const cols = layer.cols;
      const touched = rows[i];
      const rowCount = touched ? touched.length : layer.rows;
      for (let r = 0; r < rowCount; r++) {
        const base = (touched ? (touched[r] as number) : r) * cols;
        adamUpdate(layer.weights, gradient.weights, m, v, base, base + cols, rate, beta1, beta2, epsilon, l2);
      }
      adamUpdate(layer.bias, gradient.bias, mBias, vBias, 0, cols, rate, beta1, beta2, epsilon, 0);
    }
  }
}

/** Adam on params[from..to), with the L2 penalty folded into the gradient. A plain function: it is the optimiser's hot loop. */
function adamUpdate(
  params: Float32Array,
  gradients: Float32Array,
  m: Float32Array,
  v: Float32Array,
  from: number,
  to: number,
  rate: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  l2: number,
): void {
  for (let index = from; index < to; index++) {
    const param = params[index] as number;
    const g = (gradients[index] as number) + l2 * param;
    const mi = beta1 * (m[index] as number) + (1 - beta1) * g;
    const vi = beta2 * (v[index] as number) + (1 - beta2) * g * g;
    m[index] = mi;
    v[index] = vi;
    params[index] = param - (rate * mi) / (sqrt(vi) + epsilon);
  }
}
