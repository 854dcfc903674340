import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isPermanentFailure, JobCancelledError, userFacingMessage } from '../../core/index.js';
import { runTrainingProcess, summarizeTraining } from '../training/index.js';
import type { TrialRun } from './trial-job.js';
import type { TrialConfig } from './trainer-search-space.js';
import { trialEpochProgress, type TrialProgress, type TrialStage } from './tuning-progress.js';

export interface TrialRequest {
  datasetPath: string;
  workDir: string;
  epochs: number;
  /** The same for every trial of a search, so trials differ only in their settings. */
  seed: number;
  config: TrialConfig;
  stage: TrialStage;
  /** Absolute path of this trial's model.json. */
  manifestPath: string;
  /** ONNX metadata of the export. */
  metadata: Record<string, string>;
}

/** Deletes a trial's directory (the one holding its model.json): a loser's, or one that failed or was cancelled. */
export const discardTrial = (manifestPath: string) => rm(dirname(manifestPath), { recursive: true, force: true });

/**
 * One trial: a full training run with export in a training process. A failure leaves no
 * files; a cancel is thrown, every other failure is returned for the parent to weigh.
 */
export async function runTrial(
  request: TrialRequest,
  { signal, onProgress, entry }: { signal: AbortSignal; onProgress: (progress: TrialProgress) => void; entry?: URL },
): Promise<TrialRun> {
  const { datasetPath, workDir, epochs, seed, config, stage, manifestPath } = request;
  try {
    const trained = await runTrainingProcess(
      { datasetPath, workDir, mode: 'full', algorithm: config.algorithm, epochs, seed, settings: config.settings },
      {
        signal,
        entry,
        onEvent: (event) => event.type === 'epoch' && onProgress(trialEpochProgress(stage, event.metrics, epochs)),
        exportTo: { manifestPath, metadata: { ...request.metadata, trial: String(stage.trial) } },
      },
    );
    return { trained: summarizeTraining(trained) };
  } catch (error) {
    await discardTrial(manifestPath);
    if (signal.aborted || error instanceof JobCancelledError) throw new JobCancelledError();
    return { error: userFacingMessage(error), permanent: isPermanentFailure(error) };
  }
}
