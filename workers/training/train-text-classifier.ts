import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { JobCancelledError } from '../../core/index.js';
import { seededRandom, shuffled, trainValidationSplit } from './seeded-split.js';
import { SoftmaxClassifier } from './softmax-classifier.js';
import type { TextDataset, TextExample } from './text-dataset.js';

export interface EpochMetrics {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
}

export interface TrainOptions {
  epochs: number;
  seed?: number;
  dimensions?: number;
  learningRate?: number;
  signal?: AbortSignal;
  onEpoch?: (metrics: EpochMetrics) => Promise<void>;
}

/** Examples per slice of work between yields, so cancellation and other jobs stay responsive. */
const SLICE = 256;

/** The held-out split a model was validated on: the same for training and `evaluate`. */
export function validationSplit(examples: readonly TextExample[], seed = 42): { train: TextExample[]; validation: TextExample[] } {
  return trainValidationSplit(examples, 0.2, seed);
}

/** Trains hashed softmax regression by SGD, reporting train and validation loss and accuracy each epoch. */
export async function trainTextClassifier(dataset: TextDataset, options: TrainOptions) {
  const seed = options.seed ?? 42;
  const dimensions = options.dimensions ?? 1 << 16;
  const baseRate = options.learningRate ?? 0.5;
  const { train, validation } = validationSplit(dataset.examples, seed);
  const classifier = new SoftmaxClassifier(dataset.labels, dimensions);
  const labelIndex = new Map(dataset.labels.map((label, i) => [label, i]));
  const encode = (examples: TextExample[]) => examples.map((e) => ({ x: classifier.features(e.text), y: labelIndex.get(e.label) as number }));
  const trainSet = encode(train);
  const validationSet = encode(validation);
  const random = seededRandom(seed);
  const history: EpochMetrics[] = [];

  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const rate = baseRate / (1 + 0.1 * (epoch - 1));
    let lossSum = 0;
    let correct = 0;
    const order = shuffled(trainSet, random);
    for (let i = 0; i < order.length; i++) {
      if (i % SLICE === 0) {
        await yieldToEventLoop();
        if (options.signal?.aborted) throw new JobCancelledError();
      }
      const { x, y } = order[i] as (typeof order)[number];
      const p = classifier.probabilities(x);
      if (argmax(p) === y) correct++;
      lossSum += classifier.step(x, y, rate);
    }
    let valLoss = 0;
    let valCorrect = 0;
    for (const { x, y } of validationSet) {
      const p = classifier.probabilities(x);
      valLoss += -Math.log(Math.max(p[y] as number, 1e-12));
      if (argmax(p) === y) valCorrect++;
    }
    const metrics: EpochMetrics = {
      epoch,
      loss: lossSum / order.length,
      accuracy: correct / order.length,
      valLoss: valLoss / validationSet.length,
      valAccuracy: valCorrect / validationSet.length,
    };
    history.push(metrics);
    await options.onEpoch?.(metrics);
  }
  return { classifier, history, trainSize: train.length, validation };
}

function argmax(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}
