import type { DenseLayer } from './text-network.js';

/**
 * Copies, for each label both sets share, that label's output column (weights and
 * bias) from `from` into `to`: a fine-tune keeps what the base learnt about labels it
 * already knew and starts only the new ones afresh. Both layers read the same inputs.
 * Returns the labels copied.
 */
export function copyLabelColumns(from: { layer: DenseLayer; labels: readonly string[] }, to: { layer: DenseLayer; labels: readonly string[] }): string[] {
  const { layer: source } = from;
  const { layer: target } = to;
  const shared: string[] = [];
  to.labels.forEach((label, targetCol) => {
    const sourceCol = from.labels.indexOf(label);
    if (sourceCol < 0) return;
    shared.push(label);
    for (let row = 0; row < target.rows; row++) target.weights[row * target.cols + targetCol] = source.weights[row * source.cols + sourceCol] as number;
    target.bias[targetCol] = source.bias[sourceCol] as number;
  });
  return shared;
}
