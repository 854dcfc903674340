import type { SplitScore } from '../training/index.js';

/**
 * Losses closer than this, relative to the larger, count as a tie: the same margin
 * early stopping ignores as no improvement (TrainingSettings.minDelta).
 */
const RELATIVE_TIE = 1e-3;

/**
 * Orders trials by validation loss, the objective, lowest first; a tie goes to the
 * higher validation macro-F1. Negative when `a` is the better trial.
 */
export function compareTrials(a: SplitScore, b: SplitScore): number {
  const tied = Math.abs(a.loss - b.loss) <= RELATIVE_TIE * Math.max(a.loss, b.loss);
  return tied ? b.macroF1 - a.macroF1 : a.loss - b.loss;
}
