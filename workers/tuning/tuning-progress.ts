import type { JobProgress } from '../../core/index.js';
import type { EpochMetrics } from '../training/index.js';
import { formatLoss } from './format-loss.js';

/** Where a trial stands, for its progress lines: "trial 3/8 · mlp lr 0.0200 · …". */
export interface TrialStage {
  trial: number;
  trials: number;
  /** describeTrialConfig of the trial's settings. */
  label: string;
}

/** Percent is the share of finished trials: epochs move the message, not the bar. */
const percent = (finished: number, trials: number) => (100 * finished) / trials;
const prefix = ({ trial, trials, label }: TrialStage) => `trial ${trial}/${trials} · ${label}`;

export function trialStartedProgress(stage: TrialStage): JobProgress {
  return { percent: percent(stage.trial - 1, stage.trials), message: `${prefix(stage)} · training` };
}

export function trialEpochProgress(stage: TrialStage, metrics: EpochMetrics, epochs: number): JobProgress {
  return { percent: percent(stage.trial - 1, stage.trials), message: `${prefix(stage)} · epoch ${metrics.epoch}/${epochs} · val loss ${formatLoss(metrics.valLoss)}` };
}

/** `bestLoss` includes this trial; undefined while no trial has succeeded. */
export function trialFinishedProgress(stage: TrialStage, result: { loss: number } | { error: string }, bestLoss: number | undefined): JobProgress {
  const outcome = 'loss' in result ? `val loss ${formatLoss(result.loss)}` : `failed (${result.error})`;
  const best = bestLoss === undefined ? '' : ` (best ${formatLoss(bestLoss)})`;
  return { percent: percent(stage.trial, stage.trials), message: `${prefix(stage)} · ${outcome}${best}` };
}
