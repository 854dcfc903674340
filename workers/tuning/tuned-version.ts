import type { NewModelVersion, QueuedJob } from '../../core/index.js';
import { trainedVersionEntry } from '../training/index.js';
import type { TuningOutcome } from './trial-records.js';
import type { SearchMethod } from './search-strategy.js';

export interface TunedVersionInput {
  model: string;
  job: QueuedJob;
  datasetPath: string;
  epochs: number;
  seed: number;
  method: SearchMethod;
  tuning: TuningOutcome;
  /** The best trial's model.json, relative to the data directory. */
  artifactPath: string;
}

/**
 * The registry entry of a search's best trial: the same metrics and parameters a
 * `train` version records, so versions compare whichever command made them, plus
 * `tuned`, which says how the settings were found.
 */
export function tunedVersion({ model, job, datasetPath, epochs, seed, method, tuning, artifactPath }: TunedVersionInput): NewModelVersion {
  const { trained, trial } = tuning.best;
  return trainedVersionEntry({
    model,
    job,
    datasetPath,
    epochs,
    seed,
    mode: 'full',
    outcome: trained,
    artifactPath,
    extraParams: { tuned: { method, trials: tuning.trials.length, objective: 'val_loss', trial } },
  });
}
