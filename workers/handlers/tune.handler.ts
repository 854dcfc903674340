import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { JobCancelledError, PermanentJobError } from '../../core/index.js';
import { DEFAULT_SPLIT_SEED } from '../training/index.js';
import { createSearch, DEFAULT_TRIALS } from '../tuning/search-strategy.js';
import { TRAINER_SEARCH_SPACE } from '../tuning/trainer-search-space.js';
import { discardTrial } from '../tuning/run-trial.js';
import { trialArtifactPath } from '../tuning/trial-artifact.js';
import type { TrialData } from '../tuning/trial-job.js';
import { bestTrial, isTrained, observationsOf, trialRecords, type FailedTrial } from '../tuning/trial-records.js';
import { tunedVersion } from '../tuning/tuned-version.js';
import { batchQueuedProgress } from '../tuning/tuning-progress.js';
import { tuningResult } from '../tuning/tuning-result.js';
import type { JobHandler } from './handler-deps.js';
import { newVersionNextSteps } from './next-steps.js';
import { artifactPathFor, assertOwnsJob } from './model-artifact.js';
import { DEFAULT_TRIAL_EPOCHS } from './tune-defaults.js';

/**
 * Hyperparameter search over the built-in trainer (grid or TPE), minimising
 * validation loss with every trial on the same split and seed. Trials are child jobs
 * on the queue, so idle workers share them: each step queues the next batch (a
 * grid's every point; TPE's start-up trials, then batches chosen from all results
 * so far) and parks this job until they finish. The last step registers the best
 * trial as a version and deletes the others' files; a cancel deletes them all.
 */
export const tuneHandler: JobHandler<'tune'> = async (action, job, context, deps) => {
  const { model, dataset: datasetPath = '', method = 'bayes' } = action.args;
  const epochs = action.args.epochs ?? DEFAULT_TRIAL_EPOCHS;
  const seed = DEFAULT_SPLIT_SEED;
  const trialPath = (trial: number) => trialArtifactPath(model, job.jobId, trial);
  const search = createSearch(method, TRAINER_SEARCH_SPACE, action.args.trials ?? DEFAULT_TRIALS, seed);
  const trials = trialRecords(context.children.finished);
  const discardAll = () => rm(join(deps.dataDir, dirname(artifactPathFor(model, job.jobId))), { recursive: true, force: true });

  if (context.signal.aborted) {
    await discardAll();
    throw new JobCancelledError();
  }
  // A bad dataset fails every trial alike: no other settings would fare better.
  const permanent = trials.find((t): t is FailedTrial => !isTrained(t) && t.permanent);
  if (permanent) {
    await discardAll();
    throw new PermanentJobError(permanent.error);
  }

  const best = bestTrial(trials);
  const batch = search.nextBatch(observationsOf(trials));
  if (batch.length > 0) {
    const first = trials.length + 1;
    const bestSoFar = best && { trial: best.trial, loss: best.trained.validation.loss };
    await context.reportProgress(batchQueuedProgress(first, batch.length, search.trials, trials.length, bestSoFar));
    return context.children.waitFor(
      batch.map((point, i) => {
        const data: TrialData = { trial: first + i, trials: search.trials, done: trials.length, point };
        return { key: `trial-${first + i}`, data };
      }),
    );
  }

  if (best === undefined) {
    await discardAll();
    const first = trials.find((t): t is FailedTrial => !isTrained(t));
    // Permanent: a retry would read the same finished trials again.
    throw new PermanentJobError(`all ${trials.length} trials failed; the first with: ${first?.error ?? 'no error recorded'}`);
  }
  await Promise.all(trials.filter((t) => t !== best).map((t) => discardTrial(join(deps.dataDir, trialPath(t.trial)))));
  const tuning = { trials, best };
  await assertOwnsJob(context);
  const version = await deps.store.registry.registerVersion(tunedVersion({ model, job, datasetPath, epochs, seed, method, tuning, artifactPath: trialPath(best.trial) }));
  const startedAt = (await deps.store.jobs.get(job.jobId))?.startedAt;
  const started = startedAt ? Date.parse(startedAt) : Date.now();
  return tuningResult({ model, version, method, epochs, tuning, seconds: (Date.now() - started) / 1000, nextSteps: newVersionNextSteps(deps, model, `v${version.version}`, { builtIn: true }) });
};
