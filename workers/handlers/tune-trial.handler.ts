import { basename, dirname, resolve } from 'node:path';
import { PermanentJobError } from '../../core/index.js';
import { DEFAULT_SPLIT_SEED } from '../training/index.js';
import { runTrial } from '../tuning/run-trial.js';
import { describeTrialConfig, trialConfig } from '../tuning/trainer-search-space.js';
import { trialArtifactPath } from '../tuning/trial-artifact.js';
import { trialDataSchema, type TrialOutput } from '../tuning/trial-job.js';
import { searchProgress, trialFinishedProgress, trialStartedProgress, type TrialProgress, type TrialStage } from '../tuning/tuning-progress.js';
import { orderedProgress } from '../training/training-progress.js';
import type { ChildJobHandler } from './handler-deps.js';
import { ArtifactAttempt } from './model-artifact.js';
import { DEFAULT_TRIAL_EPOCHS } from './tune-defaults.js';

/**
 * One trial of a tune job, run as a child job on whichever worker takes it: trains
 * and exports the trial's settings into the parent's directory, registers nothing,
 * and hands its scores (or why it failed) back to the parent.
 */
export const tuneTrialHandler: ChildJobHandler<'tune'> = async (action, job, context, deps) => {
  const parsed = trialDataSchema.safeParse(job.child.data);
  if (!parsed.success) throw new PermanentJobError(`malformed trial: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const { trial, trials, done, point } = parsed.data;
  const { model, dataset: datasetPath = '' } = action.args;
  const epochs = action.args.epochs ?? DEFAULT_TRIAL_EPOCHS;
  const config = trialConfig(point);
  const stage: TrialStage = { trial, trials, label: describeTrialConfig(config) };
  // Trials finished so far, from the queue when it can tell (they finish on other workers too).
  const finished = async () => Math.max(done, (await context.finishedSiblings?.()) ?? done);
  // What the search shows now: trials side by side report in turn, and its bar must not jump back.
  const shown = async () => (await deps.store.jobs.get(job.child.parentId))?.progress?.percent ?? 0;
  const progress = orderedProgress<TrialProgress>(async (p) => context.reportProgress(searchProgress(p, await finished(), trials, await shown())));
  progress.send(trialStartedProgress(stage, context.workerId));
  const manifestPath = resolve(deps.dataDir, trialArtifactPath(model, job.child.parentId, trial));
  const files = new ArtifactAttempt(dirname(manifestPath), context.attempt);
  const run = await runTrial(
    {
      datasetPath,
      workDir: deps.workDir,
      epochs,
      seed: DEFAULT_SPLIT_SEED,
      config,
      stage,
      manifestPath: files.path(basename(manifestPath)),
      metadata: { model, job: job.child.parentId },
    },
    { signal: context.signal, entry: deps.trainingProcessEntry, onProgress: (p) => progress.send(p) },
  );
  // A failed trial has deleted its files already; a trained one's go where the parent looks.
  if ('trained' in run) await files.commit(context);
  progress.send(trialFinishedProgress(stage, 'trained' in run ? run.trained.validation : run));
  await progress.flush();
  const output: TrialOutput = { ...run, worker: context.workerId };
  const summary = 'trained' in run ? `trial ${trial}: val loss ${run.trained.validation.loss}` : `trial ${trial} failed: ${run.error}`;
  return { summary, output };
};
