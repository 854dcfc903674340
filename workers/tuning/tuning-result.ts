import { formatLoss, type CurvePoint, type JobResult, type ModelVersion } from '../../core/index.js';
import { isTrained, type TrainedTrial, type TuningOutcome } from './trial-records.js';
import type { SearchMethod } from './search-strategy.js';
import { describeTrialConfig } from './trainer-search-space.js';

/** Trials listed one per row; the rest are summed up in one, keeping the result at about ten rows. */
const LISTED_TRIALS = 5;

const METHOD_NAMES: Record<SearchMethod, string> = { grid: 'grid search', bayes: 'Bayesian optimisation (TPE)' };

export interface TuningResultInput {
  model: string;
  version: ModelVersion;
  method: SearchMethod;
  epochs: number;
  tuning: TuningOutcome;
  seconds: number;
  /** The buttons under the result: evaluate and deploy the new version. */
  nextSteps: NonNullable<JobResult['nextSteps']>;
}

function trialRows(tuning: TuningOutcome): Record<string, string> {
  // The winner first, then by loss: the winner can have a hair more loss when a tie went to its macro-F1.
  const loss = (t: TrainedTrial) => t.trained.validation.loss;
  const others = tuning.trials.filter((t): t is TrainedTrial => isTrained(t) && t.trial !== tuning.best.trial);
  const ranked = [tuning.best, ...others.sort((a, b) => loss(a) - loss(b))];
  const failed = tuning.trials.filter((t) => !isTrained(t));
  const rows: Record<string, string> = {};
  for (const t of ranked.slice(0, LISTED_TRIALS)) {
    const mark = t.trial === tuning.best.trial ? ' (best)' : '';
    rows[`trial ${t.trial}${mark}`] = `${describeTrialConfig(t.config)} → val loss ${formatLoss(loss(t))} · acc ${t.trained.validation.accuracy.toFixed(3)}`;
  }
  const rest = ranked.slice(LISTED_TRIALS);
  const notes = [
    ...(rest.length > 0 ? [`${rest.length} more, val loss ${formatLoss(loss(rest[0] as TrainedTrial))}–${formatLoss(loss(rest[rest.length - 1] as TrainedTrial))}`] : []),
    ...(failed.length > 0 ? [`${failed.length} failed (trial ${failed.map((t) => t.trial).join(', ')})`] : []),
  ];
  if (notes.length > 0) rows['other trials'] = notes.join('; ');
  return rows;
}

/** "worker-a ×5 · worker-b ×3": where the trials ran, busiest first. */
function workerTally(tuning: TuningOutcome): string {
  const counts = new Map<string, number>();
  for (const t of tuning.trials) if (t.worker !== undefined) counts.set(t.worker, (counts.get(t.worker) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([worker, n]) => `${worker} ×${n}`).join(' · ') || 'unknown';
}

/** The reply to a tune job: the winner and its version, a compact trial table, its curve and what to do next. */
export function tuningResult({ model, version, method, epochs, tuning, seconds, nextSteps }: TuningResultInput): JobResult {
  const { trained, trial, config } = tuning.best;
  const { validation, test } = trained;
  const v = `v${version.version}`;
  const headline = test ? `test accuracy ${(100 * test.accuracy).toFixed(2)}%, macro F1 ${test.macroF1.toFixed(3)}` : `validation accuracy ${(100 * validation.accuracy).toFixed(2)}%`;
  const history: CurvePoint[] = trained.history.map((m) => ({ epoch: m.epoch, loss: m.loss, accuracy: m.accuracy, val_loss: m.valLoss, val_accuracy: m.valAccuracy }));
  return {
    summary: `Tuned ${model} over ${tuning.trials.length} trials (${METHOD_NAMES[method]}) in ${seconds.toFixed(1)} s: trial ${trial} won with val loss ${formatLoss(validation.loss)} (${describeTrialConfig(config)}) and is registered as ${v}: ${headline}.`,
    details: {
      version: v,
      search: `${METHOD_NAMES[method]}, ${tuning.trials.length} trials of up to ${epochs} epochs`,
      objective: 'lowest val loss (ties: higher val macro F1)',
      'trials ran on': workerTally(tuning),
      ...(test ? { test: `accuracy ${test.accuracy.toFixed(4)} · macro F1 ${test.macroF1.toFixed(4)} · loss ${formatLoss(test.loss)}` } : { test: 'no test rows' }),
      ...trialRows(tuning),
    },
    history,
    nextSteps,
  };
}
