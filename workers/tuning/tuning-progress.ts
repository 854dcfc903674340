import { formatLoss, type JobProgress } from '../../core/index.js';
import type { EpochMetrics } from '../training/index.js';

/** Where a trial stands, for its progress lines: "trial 3 · mlp lr 0.0200 · …". */
export interface TrialStage {
  trial: number;
  trials: number;
  /** describeTrialConfig of the trial's settings. */
  label: string;
}

/** A trial's own progress: how far it has got (0 to 1) and what to say. The bar is the search's, worked out by searchProgress. */
export interface TrialProgress {
  fraction: number;
  message: string;
}

/** The share of finished trials. */
const percent = (finished: number, trials: number) => (100 * finished) / trials;
const prefix = ({ trial, label }: TrialStage) => `trial ${trial} · ${label}`;

export function trialStartedProgress(stage: TrialStage, workerId: string): TrialProgress {
  return { fraction: 0, message: `${prefix(stage)} · training on ${workerId}` };
}

export function trialEpochProgress(stage: TrialStage, metrics: EpochMetrics, epochs: number): TrialProgress {
  return { fraction: metrics.epoch / epochs, message: `${prefix(stage)} · epoch ${metrics.epoch}/${epochs} · val loss ${formatLoss(metrics.valLoss)}` };
}

export function trialFinishedProgress(stage: TrialStage, result: { loss: number } | { error: string }): TrialProgress {
  const outcome = 'loss' in result ? `val loss ${formatLoss(result.loss)}` : `failed (${result.error})`;
  return { fraction: 1, message: `${prefix(stage)} · ${outcome}` };
}

/**
 * The search's bar while a trial reports: the trials finished so far (on any worker)
 * plus this trial's own share, so it moves during a grid whose trials all run at once.
 * Trials running side by side report in turn, so the line leads with the finished count
 * and the bar never goes below `shown` (what the job shows now): it does not jump back
 * when a trial that started later reports after one further along.
 */
export function searchProgress(progress: TrialProgress, finished: number, trials: number, shown = 0): JobProgress {
  const own = Math.min(100, percent(finished + progress.fraction, trials));
  return { percent: Math.max(own, Math.min(shown, 100)), message: `${finished} of ${trials} trials done · ${progress.message}` };
}

/** A tune job's step that queued a batch: "trials 4–6 of 8 queued · 3 finished, best val loss 0.231 (trial 2)". */
export function batchQueuedProgress(first: number, count: number, trials: number, done: number, best?: { trial: number; loss: number }): JobProgress {
  const which = count === 1 ? `trial ${first}` : `trials ${first}–${first + count - 1}`;
  const sofar = done === 0 ? '' : ` · ${done} finished${best ? `, best val loss ${formatLoss(best.loss)} (trial ${best.trial})` : ', none succeeded'}`;
  return { percent: percent(done, trials), message: `${which} of ${trials} queued${sofar}` };
}
