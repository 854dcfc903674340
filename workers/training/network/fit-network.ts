import { seededRandom, shuffleInPlace } from '../seeded-random.js';
import { rowOf } from '../features/sparse-matrix.js';
import type { EpochMetrics } from './epoch-metrics.js';
import { evaluateNetwork, MIN_PROBABILITY } from './evaluate-network.js';
import type { LabelledMatrix } from './labelled-matrix.js';
import { LazyAdam } from './lazy-adam.js';
import { argmax, cloneNetwork, denseLayer, forward, forwardScratch, type DenseLayer, type TextNetwork } from './text-network.js';

/** Module-local copies: under jest's vm context each global lookup goes through an interceptor, which made this hot path several times slower in tests. */
const { log, max, min } = Math;

export interface FitSettings {
  epochs: number;
  batchSize: number;
  learningRate: number;
  l2: number;
  /** Epochs without a validation-loss improvement before training stops. */
  patience: number;
  /**
   * The smallest improvement that counts, relative to the best loss so far (0.001:
   * 0.1%). Relative, so a separable dataset whose loss keeps halving keeps training.
   */
  minDelta: number;
  seed: number;
}

export interface FitResult {
  /** The weights of the epoch with the lowest validation loss. */
  network: TextNetwork;
  history: EpochMetrics[];
  bestEpoch: number;
  stoppedEarly: boolean;
}

/**
 * Mini-batch gradient descent with lazy Adam on cross-entropy, early stopping on
 * validation loss. Synchronous: it runs in a training process, which is stopped by
 * killing it.
 */
export function fitNetwork(
  initial: TextNetwork,
  train: LabelledMatrix,
  validation: LabelledMatrix,
  settings: FitSettings,
  onEpoch: (metrics: EpochMetrics) => void = () => {},
): FitResult {
  const network = cloneNetwork(initial);
  const [first, second] = network.layers as [DenseLayer, DenseLayer | undefined];
  const gradients = network.layers.map((l) => denseLayer(l.rows, l.cols));
  const [g1, g2] = gradients as [DenseLayer, DenseLayer | undefined];
  const optimizer = new LazyAdam(network.layers, { learningRate: settings.learningRate, l2: settings.l2 });
  const scratch = forwardScratch(network);
  const classes = network.labels.length;
  const delta = new Float64Array(classes);
  const hiddenDelta = new Float64Array(first.cols);
  const marked = new Uint8Array(first.rows);
  let touched = new Int32Array(1 << 14);
  const random = seededRandom(settings.seed);
  const order = Array.from({ length: train.features.rows }, (_, i) => i);
  const history: EpochMetrics[] = [];
  let best: { loss: number; epoch: number; network: TextNetwork } | undefined;
  let sinceBest = 0;

  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    shuffleInPlace(order, random);
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < order.length; start += settings.batchSize) {
      const end = min(order.length, start + settings.batchSize);
      const scale = 1 / (end - start);
      let touchedCount = 0;
      for (let b = start; b < end; b++) {
        const r = order[b] as number;
        const x = rowOf(train.features, r);
        const target = train.targets[r] as number;
        const p = forward(network, x, scratch);
        lossSum -= log(max(p[target] as number, MIN_PROBABILITY));
        if (argmax(p) === target) correct++;
        for (let c = 0; c < classes; c++) delta[c] = ((p[c] as number) - (c === target ? 1 : 0)) * scale;
        let firstDelta: Float64Array = delta;
        if (second && g2) {
          // Back through the output layer and the ReLU to the hidden pre-activations.
          for (let j = 0; j < second.rows; j++) {
            const a = scratch.hidden[j] as number;
            const row = j * classes;
            let back = 0;
            for (let c = 0; c < classes; c++) {
              g2.weights[row + c] = (g2.weights[row + c] as number) + a * (delta[c] as number);
              back += (second.weights[row + c] as number) * (delta[c] as number);
            }
            hiddenDelta[j] = a > 0 ? back : 0;
          }
          for (let c = 0; c < classes; c++) g2.bias[c] = (g2.bias[c] as number) + (delta[c] as number);
          firstDelta = hiddenDelta;
        }
        const cols = first.cols;
        for (let c = 0; c < cols; c++) g1.bias[c] = (g1.bias[c] as number) + (firstDelta[c] as number);
        for (let k = 0; k < x.indices.length; k++) {
          const bucket = x.indices[k] as number;
          if (marked[bucket] === 0) {
            marked[bucket] = 1;
            if (touchedCount === touched.length) {
              const bigger = new Int32Array(touched.length * 2);
              bigger.set(touched);
              touched = bigger;
            }
            touched[touchedCount++] = bucket;
          }
          const value = x.values[k] as number;
          const row = bucket * cols;
          for (let c = 0; c < cols; c++) g1.weights[row + c] = (g1.weights[row + c] as number) + value * (firstDelta[c] as number);
        }
      }
      const rows = touched.subarray(0, touchedCount);
      optimizer.apply(network.layers, gradients, [rows, undefined]);
      for (let t = 0; t < touchedCount; t++) {
        const bucket = rows[t] as number;
        marked[bucket] = 0;
        g1.weights.fill(0, bucket * first.cols, (bucket + 1) * first.cols);
      }
      g1.bias.fill(0);
      g2?.weights.fill(0);
      g2?.bias.fill(0);
    }
    const score = evaluateNetwork(network, validation);
    const metrics: EpochMetrics = {
      epoch,
      loss: lossSum / order.length,
      accuracy: correct / order.length,
      valLoss: score.loss,
      valAccuracy: score.accuracy,
    };
    history.push(metrics);
    onEpoch(metrics);
    if (!best || score.loss < best.loss * (1 - settings.minDelta)) {
      best = { loss: score.loss, epoch, network: cloneNetwork(network) };
      sinceBest = 0;
    } else if (++sinceBest >= settings.patience) {
      return { network: best.network, history, bestEpoch: best.epoch, stoppedEarly: epoch < settings.epochs };
    }
  }
  return { network: best?.network ?? network, history, bestEpoch: best?.epoch ?? 0, stoppedEarly: false };
}
