/** The built-in text-classification trainer: datasets, training, saved models and prediction. */
export { loadTextDataset, DATASET_FORMATS, type TextDataset, type TextExample } from './dataset/text-dataset.js';
export { splitDataset, DEFAULT_SPLIT_SEED, DEFAULT_SPLIT_FRACTIONS, type DatasetSplit, type SplitFractions } from './dataset/dataset-split.js';
export { classBalance, formatClassBalance, type ClassBalance } from './dataset/class-balance.js';
export type { SplitName } from './dataset/split-name.js';
export { TextFeaturizer } from './features/text-featurizer.js';
export { DEFAULT_FEATURIZER_CONFIG, type FeaturizerConfig } from './features/featurizer-config.js';
export type { SparseVector } from './features/sparse-vector.js';
export type { TextNetwork, DenseLayer, NetworkKind } from './network/text-network.js';
export type { EpochMetrics } from './network/epoch-metrics.js';
export { quantizeNetwork, dequantizeNetwork, type QuantizedNetwork, type QuantizedLayer } from './network/quantize-network.js';
export { TextModel, type ModelPrecision } from './model/text-model.js';
export { readTextModel, writeTextModel, ONNX_FILE } from './model/model-files.js';
export { loadTextModel } from './model/load-text-model.js';
export { trainTextModel, type TrainingRequest, type TrainingOutcome, type TrainingEvent, type BaseModel, type SplitScore } from './train-text-model.js';
export type { TrainMode } from './train-mode.js';
export { DEFAULT_TRAINING_SETTINGS, type TrainingSettings } from './training-settings.js';
export { runTrainingWorker, runQuantizeWorker, type WorkerRunOptions } from './worker/run-training-worker.js';
export type { TrainedModel } from './worker/training-messages.js';
