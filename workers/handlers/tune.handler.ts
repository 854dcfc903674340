/*
 * Scope: a tune job runs its trials one after another inside this one job, on the
 * worker that took it (each trial on its own worker thread), not as child jobs spread
 * over the queue, so a search takes trials × one training run however many workers
 * there are. Spreading it would need BullMQ flows: a parent `tune` job with one child
 * job per trial (a new job kind carrying a trial's settings that trains and exports but
 * registers nothing), added all at once for a grid but one batch at a time for TPE,
 * whose next suggestions need the finished results (the parent waiting in
 * WaitingChildren between batches and reading getChildrenValues); cancel propagating
 * from parent to children; the losers' artifacts cleaned up by the parent; and the
 * in-process queue offering the same parent/child contract so both drivers behave alike.
 */
import { join } from 'node:path';
import { DEFAULT_SPLIT_SEED } from '../training/index.js';
import { runTuning } from '../tuning/run-tuning.js';
import { createSearch, DEFAULT_TRIALS } from '../tuning/search-strategy.js';
import { TRAINER_SEARCH_SPACE } from '../tuning/trainer-search-space.js';
import { trialArtifactPath } from '../tuning/trial-artifact.js';
import { tunedVersion } from '../tuning/tuned-version.js';
import { tuningResult } from '../tuning/tuning-result.js';
import type { JobHandler } from './handler-deps.js';

/** Epochs per trial, as `train`'s default, so a tuned version compares with a trained one; early stopping ends most sooner. */
const DEFAULT_TRIAL_EPOCHS = 10;

/**
 * Hyperparameter search over the built-in trainer (grid or TPE), minimising validation
 * loss with every trial on the same split and seed; only the best trial is registered
 * as a version, and the other trials' files are deleted.
 */
export const tuneHandler: JobHandler<'tune'> = async (action, job, context, deps) => {
  const { model, dataset: datasetPath = '', method = 'bayes' } = action.args;
  const epochs = action.args.epochs ?? DEFAULT_TRIAL_EPOCHS;
  const seed = DEFAULT_SPLIT_SEED;
  const started = Date.now();
  const search = createSearch(method, TRAINER_SEARCH_SPACE, action.args.trials ?? DEFAULT_TRIALS, seed);
  const tuning = await runTuning(
    {
      datasetPath,
      workDir: deps.workDir,
      epochs,
      seed,
      search,
      manifestPathFor: (trial) => join(deps.dataDir, trialArtifactPath(model, job.jobId, trial)),
      metadata: { model, job: job.jobId },
    },
    { signal: context.signal, reportProgress: (progress) => context.reportProgress(progress) },
  );
  const artifactPath = trialArtifactPath(model, job.jobId, tuning.best.trial);
  const version = await deps.store.registry.registerVersion(tunedVersion({ model, job, datasetPath, epochs, seed, method, tuning, artifactPath }));
  return tuningResult({ model, version, method, epochs, tuning, seconds: (Date.now() - started) / 1000 });
};
