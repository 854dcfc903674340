import { PermanentJobError, type ChildOutcome } from '../../core/index.js';
import type { TrainedSummary } from '../training/index.js';
import type { Observation } from './observation.js';
import type { SearchPoint } from './search-space.js';
import { trialConfig, type TrialConfig } from './trainer-search-space.js';
import { trialDataSchema, trialOutputSchema, type TrialRun } from './trial-job.js';
import { compareTrials } from './trial-ranking.js';

/** A finished trial as the tune job sees it: trained, or failed (a child that crashed past its retries counts as failed). */
export type TrialRecord = { trial: number; point: SearchPoint; config: TrialConfig; worker?: string } & TrialRun;
export type TrainedTrial = Extract<TrialRecord, { trained: TrainedSummary }>;
export type FailedTrial = Exclude<TrialRecord, TrainedTrial>;

/** A search that has run all its trials, and its winner. */
export interface TuningOutcome {
  trials: TrialRecord[];
  best: TrainedTrial;
}

export const isTrained = (t: TrialRecord): t is TrainedTrial => 'trained' in t;

/** Reads the children a tune job's earlier steps queued, in trial order. Their data and output crossed the queue, so they are validated. */
export function trialRecords(finished: readonly ChildOutcome[]): TrialRecord[] {
  return finished
    .map((child): TrialRecord => {
      const data = trialDataSchema.safeParse(child.data);
      if (!data.success) throw new PermanentJobError(`child job ${child.key} is not a trial of this search`);
      const { trial, point } = data.data;
      const base = { trial, point, config: trialConfig(point) };
      if ('error' in child) return { ...base, error: child.error, permanent: false };
      const output = trialOutputSchema.safeParse(child.result.output);
      if (!output.success) return { ...base, error: `its result was malformed (${output.error.issues[0]?.message ?? 'invalid'})`, permanent: false };
      return { ...base, ...output.data };
    })
    .sort((a, b) => a.trial - b.trial);
}

/** What the search learns from: a failed trial counts as infinitely bad, so the search avoids where it was. */
export const observationsOf = (trials: readonly TrialRecord[]): Observation[] =>
  trials.map((t) => ({ point: t.point, loss: isTrained(t) ? t.trained.validation.loss : Infinity }));

/** The winner by validation loss (ties: higher macro F1); undefined while none has trained. */
export function bestTrial(trials: readonly TrialRecord[]): TrainedTrial | undefined {
  return trials.filter(isTrained).reduce<TrainedTrial | undefined>((best, t) => (best === undefined || compareTrials(t.trained.validation, best.trained.validation) < 0 ? t : best), undefined);
}
