import { PermanentJobError } from '../../core/index.js';
import { classBalance, type ClassBalance } from './dataset/class-balance.js';
import { splitDataset } from './dataset/dataset-split.js';
import { describeColumns } from './dataset/dataset-columns.js';
import { loadTextDataset, type TextExample } from './dataset/text-dataset.js';
import type { FeaturizerConfig } from './features/featurizer-config.js';
import { SparseMatrixBuilder, rowOf, type SparseMatrix } from './features/sparse-matrix.js';
import { TextFeaturizer } from './features/text-featurizer.js';
import type { EpochMetrics } from './network/epoch-metrics.js';
import { evaluateNetwork } from './network/evaluate-network.js';
import { fitNetwork } from './network/fit-network.js';
import type { LabelledMatrix } from './network/labelled-matrix.js';
import { macroF1 } from './network/macro-f1.js';
import type { DenseLayer, NetworkKind, TextNetwork } from './network/text-network.js';
import { startingNetwork } from './starting-network.js';
import type { TrainMode } from './train-mode.js';
import { DEFAULT_TRAINING_SETTINGS, type TrainingSettings } from './training-settings.js';

/** The version a run starts from (incremental, finetune), in a form that crosses to the training process. */
export interface BaseModel {
  /** "sentiment v3", for messages. */
  name: string;
  featurizer: { config: FeaturizerConfig; idf: Float32Array };
  network: TextNetwork;
}

export interface TrainingRequest {
  /** As the user gave it, resolved from workDir. */
  datasetPath: string;
  workDir: string;
  mode: TrainMode;
  /** Defaults to the base model's kind, else softmax. */
  algorithm?: NetworkKind;
  epochs: number;
  seed: number;
  base?: BaseModel;
  /** Overrides of the defaults for the algorithm (tests, bench). */
  settings?: Partial<TrainingSettings>;
}

export type TrainingEvent = { type: 'stage'; percent: number; message: string } | { type: 'epoch'; metrics: EpochMetrics };

export interface SplitScore {
  examples: number;
  loss: number;
  accuracy: number;
  macroF1: number;
}

export interface TrainingOutcome {
  datasetHash: string;
  /** Which columns were read, when not plainly "text" and "label" (an alias such as "sentiment" was taken). */
  columns?: string;
  classBalance: ClassBalance;
  featurizer: { config: FeaturizerConfig; idf: Float32Array };
  network: TextNetwork;
  settings: TrainingSettings;
  history: EpochMetrics[];
  bestEpoch: number;
  stoppedEarly: boolean;
  validation: SplitScore;
  /** Undefined when the file's split column left no test rows. */
  test?: SplitScore;
  /** A few held-out texts, to check an exported model against this one. */
  sampleTexts: string[];
  featurizeSeconds: number;
  fitSeconds: number;
}

const SAMPLE_TEXTS = 32;

function scoreSplit(network: TextNetwork, data: LabelledMatrix): SplitScore {
  const score = evaluateNetwork(network, data);
  const f1 = macroF1(data.targets, score.predictions, network.labels.length);
  return { examples: data.features.rows, loss: score.loss, accuracy: score.accuracy, macroF1: f1 };
}

function countAll(featurizer: TextFeaturizer, examples: readonly TextExample[]): SparseMatrix {
  const builder = new SparseMatrixBuilder();
  for (const example of examples) builder.push(featurizer.count(example.text));
  return builder.build();
}

function weighAll(featurizer: TextFeaturizer, matrix: SparseMatrix): SparseMatrix {
  for (let r = 0; r < matrix.rows; r++) featurizer.weigh(rowOf(matrix, r));
  return matrix;
}

/**
 * The whole training run: load and split the dataset, featurise it (learning the IDF
 * unless the featurizer comes from a base model), fit with early stopping, and score
 * the best weights on the test split. CPU-bound: run it in a training process (runTrainingProcess).
 */
export async function trainTextModel(request: TrainingRequest, report: (event: TrainingEvent) => void = () => {}): Promise<TrainingOutcome> {
  if (request.mode !== 'full' && !request.base) throw new PermanentJobError(`--mode ${request.mode} needs a model version to start from`);
  report({ type: 'stage', percent: 1, message: `loading ${request.datasetPath}` });
  const dataset = await loadTextDataset(request.datasetPath, request.workDir);
  const split = splitDataset(dataset.examples, request.seed);
  const kind = request.algorithm ?? request.base?.network.kind ?? 'softmax';
  const defaults = DEFAULT_TRAINING_SETTINGS[kind];
  const reused = request.mode !== 'full' && request.base ? request.base : undefined;
  const settings: TrainingSettings = {
    ...defaults,
    ...request.settings,
    ...(reused ? { featurizer: reused.featurizer.config } : {}),
    ...(reused?.network.kind === 'mlp' && kind === 'mlp' ? { hidden: (reused.network.layers[0] as DenseLayer).cols } : {}),
  };
  const initial = startingNetwork({ mode: request.mode, kind, base: request.base, labels: dataset.labels, settings, seed: request.seed });
  const labelIndex = new Map(initial.labels.map((label, i) => [label, i]));
  const targets = (examples: readonly TextExample[]) => Int32Array.from(examples, (e) => labelIndex.get(e.label) as number);

  const columns = describeColumns(dataset.columns);
  report({ type: 'stage', percent: 3, message: `featurising ${dataset.examples.length} texts${columns ? ` (${columns})` : ''}` });
  const started = performance.now();
  const featurizer = reused ? new TextFeaturizer(reused.featurizer.config, reused.featurizer.idf.slice()) : new TextFeaturizer(settings.featurizer);
  const counts = { train: countAll(featurizer, split.train), validation: countAll(featurizer, split.validation), test: countAll(featurizer, split.test) };
  if (!reused) featurizer.fitIdf(counts.train);
  const train: LabelledMatrix = { features: weighAll(featurizer, counts.train), targets: targets(split.train) };
  const validation: LabelledMatrix = { features: weighAll(featurizer, counts.validation), targets: targets(split.validation) };
  const test: LabelledMatrix = { features: weighAll(featurizer, counts.test), targets: targets(split.test) };
  const featurized = performance.now();
  if (validation.features.rows === 0) throw new PermanentJobError(`dataset ${request.datasetPath} leaves no validation rows; add rows or mark some with split=validation`);

  report({ type: 'stage', percent: 10, message: `training ${kind} on ${train.features.rows} examples` });
  const fit = fitNetwork(initial, train, validation, { ...settings, epochs: request.epochs, seed: request.seed }, (metrics) =>
    report({ type: 'epoch', metrics }),
  );
  const fitted = performance.now();
  return {
    datasetHash: dataset.hash,
    ...(columns ? { columns } : {}),
    classBalance: classBalance(split, initial.labels),
    featurizer: { config: featurizer.config, idf: featurizer.idf },
    network: fit.network,
    settings,
    history: fit.history,
    bestEpoch: fit.bestEpoch,
    stoppedEarly: fit.stoppedEarly,
    validation: scoreSplit(fit.network, validation),
    test: test.features.rows > 0 ? scoreSplit(fit.network, test) : undefined,
    sampleTexts: (split.test.length > 0 ? split.test : split.validation).slice(0, SAMPLE_TEXTS).map((e) => e.text),
    featurizeSeconds: (featurized - started) / 1000,
    fitSeconds: (fitted - featurized) / 1000,
  };
}
