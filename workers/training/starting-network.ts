import { PermanentJobError } from '../../core/index.js';
import { initNetwork, outputLayer } from './network/init-network.js';
import { copyLabelColumns } from './network/copy-label-columns.js';
import { cloneNetwork, type DenseLayer, type NetworkKind, type TextNetwork } from './network/text-network.js';
import type { BaseModel } from './train-text-model.js';
import type { TrainMode } from './train-mode.js';
import type { TrainingSettings } from './training-settings.js';

export interface StartingPoint {
  mode: TrainMode;
  kind: NetworkKind;
  base?: BaseModel;
  /** The dataset's labels. */
  labels: string[];
  settings: TrainingSettings;
  seed: number;
}

/**
 * The network a run starts from. full: fresh weights. incremental: the base's
 * weights and labels (the dataset may not bring new labels). finetune: the dataset's
 * labels; an MLP keeps the base MLP's hidden layer, and the output columns of labels
 * the base already knew start from the base's (for softmax those are all its
 * weights), new labels from scratch. A base of the other algorithm lends only its
 * featurizer.
 */
export function startingNetwork({ mode, kind, base, labels, settings, seed }: StartingPoint): TextNetwork {
  if (mode === 'full' || !base) return initNetwork(kind, labels, settings.featurizer.dimensions, settings.hidden, seed);
  if (mode === 'incremental') {
    if (kind !== base.network.kind) {
      throw new PermanentJobError(`${base.name} is a ${base.network.kind} model; incremental training keeps its algorithm, so drop --algorithm ${kind}`);
    }
    const unknown = labels.filter((label) => !base.network.labels.includes(label));
    if (unknown.length > 0) {
      throw new PermanentJobError(
        `incremental training keeps the labels of ${base.name} (${base.network.labels.join(', ')}), but the dataset has new ones: ${unknown.join(', ')}; to learn new labels use --mode finetune --base <model>`,
      );
    }
    return cloneNetwork(base.network);
  }
  if (kind !== base.network.kind) return initNetwork(kind, labels, settings.featurizer.dimensions, settings.hidden, seed);
  const baseLayers = cloneNetwork(base.network).layers;
  const baseOutput = baseLayers[baseLayers.length - 1] as DenseLayer;
  const network =
    kind === 'mlp'
      ? { kind, labels: [...labels], layers: [baseLayers[0] as DenseLayer, outputLayer(baseOutput.rows, labels.length, true, seed)] }
      : initNetwork(kind, labels, baseOutput.rows, settings.hidden, seed);
  const output = network.layers[network.layers.length - 1] as DenseLayer;
  copyLabelColumns({ layer: baseOutput, labels: base.network.labels }, { layer: output, labels });
  return network;
}
