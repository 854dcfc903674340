import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isPermanentFailure, JobCancelledError, userFacingMessage, type JobProgress } from '../../core/index.js';
import { runTrainingWorker, type SplitScore, type TrainedModel } from '../training/index.js';
import { orderedProgress } from '../training/training-progress.js';
import type { Observation } from './observation.js';
import type { SearchStrategy } from './search-strategy.js';
import { describeTrialConfig, trialConfig, type TrialConfig } from './trainer-search-space.js';
import { compareTrials } from './trial-ranking.js';
import { trialEpochProgress, trialFinishedProgress, trialStartedProgress, type TrialStage } from './tuning-progress.js';

export interface TuningRequest {
  datasetPath: string;
  workDir: string;
  epochs: number;
  /** Fixes the split, initial weights and shuffles for every trial, so trials differ only in their settings. */
  seed: number;
  search: SearchStrategy;
  /** Absolute path of trial n's model.json. */
  manifestPathFor(trial: number): string;
  /** ONNX metadata of every trial's export. */
  metadata: Record<string, string>;
}

export interface TuningOptions {
  signal: AbortSignal;
  reportProgress(progress: JobProgress): Promise<void>;
}

/** A finished trial; a failed one (diverged, crashed) carries its error and the search goes on. */
export type TrialRecord = { trial: number; config: TrialConfig } & ({ validation: SplitScore; epochsRun: number } | { error: string });

export interface BestTrial {
  trial: number;
  config: TrialConfig;
  outcome: TrainedModel;
  /** Absolute path of its model.json, the only trial model left on disk. */
  manifestPath: string;
}

export interface TuningOutcome {
  trials: TrialRecord[];
  best: BestTrial;
}

const discard = (manifestPath: string) => rm(dirname(manifestPath), { recursive: true, force: true });

/**
 * Runs the search's trials one after another, each a full training run with export
 * on a worker thread, and keeps only the best trial's files. A cancel stops the
 * running trial at once; then every file this run wrote is deleted and it rethrows.
 */
export async function runTuning(request: TuningRequest, { signal, reportProgress }: TuningOptions): Promise<TuningOutcome> {
  const { search } = request;
  const progress = orderedProgress(reportProgress);
  const observations: Observation[] = [];
  const trials: TrialRecord[] = [];
  let best: BestTrial | undefined;
  let running: string | undefined;
  try {
    for (let trial = 1; trial <= search.trials; trial++) {
      const point = search.next(observations);
      const config = trialConfig(point);
      const stage: TrialStage = { trial, trials: search.trials, label: describeTrialConfig(config) };
      running = request.manifestPathFor(trial);
      progress.send(trialStartedProgress(stage));
      const result = await runTrial(request, config, running, { signal, onEpoch: (p) => progress.send(p), stage });
      if ('error' in result) {
        await discard(running);
        trials.push({ trial, config, error: result.error });
        observations.push({ point, loss: Infinity });
      } else {
        const { validation } = result;
        trials.push({ trial, config, validation, epochsRun: result.history.length });
        observations.push({ point, loss: validation.loss });
        const improves = best === undefined || compareTrials(validation, best.outcome.validation) < 0;
        const loser = improves ? best?.manifestPath : running;
        if (improves) best = { trial, config, outcome: result, manifestPath: running };
        if (loser !== undefined) await discard(loser);
      }
      running = undefined;
      progress.send(trialFinishedProgress(stage, 'error' in result ? result : result.validation, best?.outcome.validation.loss));
      await progress.flush();
    }
    if (signal.aborted) throw new JobCancelledError();
  } catch (error) {
    await Promise.all([running, best?.manifestPath].flatMap((path) => (path === undefined ? [] : [discard(path)])));
    throw error;
  }
  if (best === undefined) {
    const first = trials.find((t): t is TrialRecord & { error: string } => 'error' in t);
    throw new Error(`all ${trials.length} trials failed; the first with: ${first?.error ?? 'no error recorded'}`);
  }
  return { trials, best };
}

/** One trial's training run; a failure that another trial could avoid is returned, not thrown. */
async function runTrial(
  request: TuningRequest,
  config: TrialConfig,
  manifestPath: string,
  { signal, onEpoch, stage }: { signal: AbortSignal; onEpoch: (progress: JobProgress) => void; stage: TrialStage },
): Promise<TrainedModel | { error: string }> {
  const { datasetPath, workDir, epochs, seed } = request;
  try {
    return await runTrainingWorker(
      { datasetPath, workDir, mode: 'full', algorithm: config.algorithm, epochs, seed, settings: config.settings },
      {
        signal,
        onEvent: (event) => event.type === 'epoch' && onEpoch(trialEpochProgress(stage, event.metrics, epochs)),
        exportTo: { manifestPath, metadata: { ...request.metadata, trial: String(stage.trial) } },
      },
    );
  } catch (error) {
    // A cancel, or a bad dataset, ends the whole search: no other settings would fare better.
    if (signal.aborted || isPermanentFailure(error)) throw error;
    return { error: userFacingMessage(error) };
  }
}
