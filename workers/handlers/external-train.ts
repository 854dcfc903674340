import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { identityKey, type ActionOf, type ExternalTrainerConfig, type JobContext, type JobResult, type QueuedJob } from '../../core/index.js';
import { runExternalTrainer, type ExternalTrainerRun } from '../external/run-external-trainer.js';
import { EpochEta } from '../training/epoch-eta.js';
import { newVersionNextSteps } from './next-steps.js';
import { artifactPathFor, produceVersion } from './model-artifact.js';
import type { HandlerDeps } from './handler-deps.js';

const DEFAULT_EPOCHS = 10;

/** sha256 of the dataset when it is a local file; a trainer may also read datasets opsbot cannot see. */
async function datasetHash(path: string): Promise<string> {
  try {
    return createHash('sha256').update(await readFile(path)).digest('hex');
  } catch {
    return '';
  }
}

/**
 * Trains with the model's own program (workers/external/PROTOCOL.md): its JSON-line
 * metrics become progress and the curve, its artifact is registered as the new version.
 */
export async function trainExternally(
  spec: ExternalTrainerConfig,
  action: ActionOf<'train'>,
  job: QueuedJob,
  context: JobContext,
  deps: HandlerDeps,
): Promise<JobResult> {
  const { model, dataset = '' } = action.args;
  const epochs = action.args.epochs ?? DEFAULT_EPOCHS;
  const gpus = context.gpus ?? [];
  // The trainer writes one file or directory, kept in the job's version directory.
  const artifactPath = join(dirname(artifactPathFor(model, job.jobId)), 'artifact');
  const started = Date.now();
  const eta = new EpochEta();
  const run = (artifact: string): ExternalTrainerRun => ({
    dataset,
    epochs,
    artifactPath: artifact,
    gpus,
    signal: context.signal,
    workDir: deps.workDir,
    onMetrics: ({ point, totalEpochs }) => {
      const left = eta.after(point.epoch, totalEpochs);
      return context.reportProgress({
        percent: Math.min(100, (point.epoch / totalEpochs) * 100),
        message: `epoch ${point.epoch}/${totalEpochs}${point.loss === undefined ? '' : ` · loss ${point.loss.toFixed(4)}`}${point.val_accuracy === undefined ? '' : ` · val acc ${point.val_accuracy.toFixed(3)}`}${left ? ` · ${left}` : ''}`,
        metrics: point,
      });
    },
    onWarning: (warning) => deps.log.warn({ jobId: job.jobId, warning }, 'external trainer'),
  });
  const result = await produceVersion(deps, model, job.jobId, context, (files) => runExternalTrainer(spec, run(files.path(basename(artifactPath)))));
  const last = result.history[result.history.length - 1] ?? { epoch: 0 };
  const metrics = Object.fromEntries(Object.entries(last).filter(([key]) => key !== 'epoch'));
  const version = await deps.store.registry.registerVersion({
    model,
    createdBy: identityKey(job.requestedBy),
    jobId: job.jobId,
    dataset,
    datasetHash: await datasetHash(resolve(deps.workDir, dataset)),
    metrics,
    params: { trainer: 'external', command: spec.command, epochs, epochsRun: result.history.length, gpus: [...gpus], trainedBy: job.requestedBy.displayName },
    artifactPath,
    conversation: job.conversation,
  });
  const v = `v${version.version}`;
  const warned = result.warnings.length > 0 ? ` ${result.warnings.length} malformed output line(s) were skipped (first: ${result.warnings[0]}).` : '';
  return {
    summary: `Trained ${model} ${v} with its external trainer in ${((Date.now() - started) / 1000).toFixed(1)} s (${result.history.length} epochs${gpus.length ? ` on GPU ${gpus.join(',')}` : ''}).${warned}`,
    details: { version: v, trainer: 'external', epochs: result.history.length, ...Object.fromEntries(Object.entries(metrics).map(([k, n]) => [k, Number(n.toFixed(4))])) },
    history: result.history,
    nextSteps: newVersionNextSteps(deps, model, v, { builtIn: false }),
  };
}
