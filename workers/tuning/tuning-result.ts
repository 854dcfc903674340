import type { CurvePoint, JobResult, ModelVersion } from '../../core/index.js';
import { formatLoss } from './format-loss.js';
import type { TuningOutcome, TrialRecord } from './run-tuning.js';
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
}

type ScoredTrial = Extract<TrialRecord, { epochsRun: number }>;
const scored = (t: TrialRecord): t is ScoredTrial => 'validation' in t;

function trialRows(tuning: TuningOutcome): Record<string, string> {
  // The winner first, then by loss: the winner can have a hair more loss when a tie went to its macro-F1.
  const others = tuning.trials.filter((t): t is ScoredTrial => scored(t) && t.trial !== tuning.best.trial);
  const ranked = [tuning.trials.find((t) => t.trial === tuning.best.trial) as ScoredTrial, ...others.sort((a, b) => a.validation.loss - b.validation.loss)];
  const failed = tuning.trials.filter((t) => !scored(t));
  const rows: Record<string, string> = {};
  for (const t of ranked.slice(0, LISTED_TRIALS)) {
    const mark = t.trial === tuning.best.trial ? ' (best)' : '';
    rows[`trial ${t.trial}${mark}`] = `${describeTrialConfig(t.config)} → val loss ${formatLoss(t.validation.loss)} · acc ${t.validation.accuracy.toFixed(3)}`;
  }
  const rest = ranked.slice(LISTED_TRIALS);
  const notes = [
    ...(rest.length > 0 ? [`${rest.length} more, val loss ${formatLoss((rest[0] as ScoredTrial).validation.loss)}–${formatLoss((rest[rest.length - 1] as ScoredTrial).validation.loss)}`] : []),
    ...(failed.length > 0 ? [`${failed.length} failed (trial ${failed.map((t) => t.trial).join(', ')})`] : []),
  ];
  if (notes.length > 0) rows['other trials'] = notes.join('; ');
  return rows;
}

/** The reply to a tune job: the winner and its version, a compact trial table, its curve and what to do next. */
export function tuningResult({ model, version, method, epochs, tuning, seconds }: TuningResultInput): JobResult {
  const { outcome, trial, config } = tuning.best;
  const { validation, test } = outcome;
  const v = `v${version.version}`;
  const headline = test ? `test accuracy ${(100 * test.accuracy).toFixed(2)}%, macro F1 ${test.macroF1.toFixed(3)}` : `validation accuracy ${(100 * validation.accuracy).toFixed(2)}%`;
  const history: CurvePoint[] = outcome.history.map((m) => ({ epoch: m.epoch, loss: m.loss, accuracy: m.accuracy, val_loss: m.valLoss, val_accuracy: m.valAccuracy }));
  return {
    summary: `Tuned ${model} over ${tuning.trials.length} trials (${METHOD_NAMES[method]}) in ${seconds.toFixed(1)} s: trial ${trial} won with val loss ${formatLoss(validation.loss)} (${describeTrialConfig(config)}) and is registered as ${v}: ${headline}.`,
    details: {
      version: v,
      search: `${METHOD_NAMES[method]}, ${tuning.trials.length} trials of up to ${epochs} epochs`,
      objective: 'lowest val loss (ties: higher val macro F1)',
      ...(test ? { test: `accuracy ${test.accuracy.toFixed(4)} · macro F1 ${test.macroF1.toFixed(4)} · loss ${formatLoss(test.loss)}` } : { test: 'no test rows' }),
      ...trialRows(tuning),
    },
    history,
    nextSteps: [
      { label: `Evaluate ${v}`, command: `evaluate ${model} ${v}` },
      { label: `Deploy ${v} to staging`, command: `deploy ${model} ${v} to staging` },
    ],
  };
}
