import type { NetworkKind, TrainingSettings } from '../training/index.js';
import type { SearchPoint, SearchSpace } from './search-space.js';

/**
 * What `tune` searches over: the built-in trainer's algorithm and the settings that
 * matter most for it. Ranges bracket the defaults (softmax lr 0.05, MLP lr 0.01, l2
 * 1e-5, 16 hidden units, batches of 64) by an order of magnitude or so either side.
 */
export const TRAINER_SEARCH_SPACE: SearchSpace = [
  { kind: 'categorical', name: 'algorithm', choices: ['softmax', 'mlp'] },
  { kind: 'log-uniform', name: 'learningRate', low: 0.005, high: 0.2 },
  { kind: 'log-uniform', name: 'l2', low: 1e-6, high: 1e-3 },
  { kind: 'categorical', name: 'hidden', choices: [8, 16, 32, 64], when: { dimension: 'algorithm', equals: 'mlp' } },
  { kind: 'categorical', name: 'batchSize', choices: [32, 64, 128] },
];

/** A trial's training run: the algorithm, and the settings that override its defaults. */
export interface TrialConfig {
  algorithm: NetworkKind;
  settings: Partial<TrainingSettings>;
}

/** Reads a point of TRAINER_SEARCH_SPACE as a training run. */
export function trialConfig(point: SearchPoint): TrialConfig {
  const algorithm = point.algorithm as NetworkKind;
  return {
    algorithm,
    settings: {
      learningRate: point.learningRate as number,
      l2: point.l2 as number,
      batchSize: point.batchSize as number,
      ...(algorithm === 'mlp' ? { hidden: point.hidden as number } : {}),
    },
  };
}

/** "mlp lr 0.0316 · l2 3.2e-5 · hidden 32 · batch 64", for progress lines and the result table. */
export function describeTrialConfig({ algorithm, settings }: TrialConfig): string {
  const parts = [`${algorithm} lr ${Number(settings.learningRate).toPrecision(3)}`, `l2 ${Number(settings.l2).toExponential(1)}`];
  if (settings.hidden !== undefined) parts.push(`hidden ${settings.hidden}`);
  parts.push(`batch ${settings.batchSize}`);
  return parts.join(' · ');
}
