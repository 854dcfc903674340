import { basename } from 'node:path';
import { formatLoss, PermanentJobError, type CurvePoint, type ModelVersion } from '../../core/index.js';
import {
  DEFAULT_SPLIT_SEED,
  formatClassBalance,
  loadTextModel,
  runTrainingProcess,
  trainedVersionEntry,
  type BaseModel,
  type TrainingOutcome,
} from '../training/index.js';
import { EpochEta } from '../training/epoch-eta.js';
import { orderedProgress, trainingProgress } from '../training/training-progress.js';
import type { HandlerDeps, JobHandler } from './handler-deps.js';
import { newVersionNextSteps } from './next-steps.js';
import { artifactPathFor, produceVersion } from './model-artifact.js';
import { trainExternally } from './external-train.js';

const DEFAULT_EPOCHS = 10;

/**
 * The newest FP32 version: training goes on from full-precision weights, so the INT8
 * copies `quantize` registers (often the newest version) are passed over. Every INT8
 * version is made from an FP32 one of the same model, so a model with versions has one.
 */
async function latestFp32Version(deps: HandlerDeps, model: string): Promise<ModelVersion> {
  const versions = await deps.store.registry.listVersions(model);
  const latest = versions.filter((version) => !version.params.quantized).at(-1);
  if (!latest) throw new PermanentJobError(`${model} has no trained version to start from; train it first: train ${model} --dataset <path>`);
  return latest;
}

/** The version an incremental run or a fine-tune starts from, loaded for the training process. */
async function baseFor(deps: HandlerDeps, model: string, mode: string, base: string | undefined): Promise<BaseModel | undefined> {
  const from = mode === 'incremental' ? model : mode === 'finetune' ? base : undefined;
  if (from === undefined) return undefined;
  const version = await latestFp32Version(deps, from);
  const loaded = await loadTextModel(deps.dataDir, version);
  return { name: `${from} v${version.version}`, featurizer: { config: loaded.featurizer.config, idf: loaded.featurizer.idf }, network: loaded.network };
}

const percent = (x: number) => `${(100 * x).toFixed(2)}%`;
const round = (x: number) => Number(x.toFixed(4));

function curve(outcome: TrainingOutcome): CurvePoint[] {
  return outcome.history.map((m) => ({ epoch: m.epoch, loss: m.loss, accuracy: m.accuracy, val_loss: m.valLoss, val_accuracy: m.valAccuracy }));
}

/**
 * Trains a text classifier (full, incremental or fine-tune) in a training process, which
 * also saves it with its ONNX export and checks the export against the trainer; then
 * registers the version.
 */
export const trainHandler: JobHandler<'train'> = async (action, job, context, deps) => {
  const external = deps.models?.[action.args.model]?.trainer;
  if (external) return trainExternally(external, action, job, context, deps);
  const { model, dataset: datasetPath = '', gpus = 0, mode = 'full', algorithm } = action.args;
  const epochs = action.args.epochs ?? DEFAULT_EPOCHS;
  const started = Date.now();
  const start = await baseFor(deps, model, mode, action.args.base);

  const progress = orderedProgress((p) => context.reportProgress(p));
  const eta = new EpochEta();
  const artifactPath = artifactPathFor(model, job.jobId);
  const outcome = await produceVersion(deps, model, job.jobId, context, (files) =>
    runTrainingProcess(
      { datasetPath, workDir: deps.workDir, mode, algorithm, epochs, seed: DEFAULT_SPLIT_SEED, base: start },
      {
        signal: context.signal,
        entry: deps.trainingProcessEntry,
        onEvent: (event) => progress.send(trainingProgress(event, epochs, eta)),
        exportTo: { manifestPath: files.path(basename(artifactPath)), metadata: { model, job: job.jobId } },
      },
    ),
  );
  await progress.flush();
  const exported = outcome.exported as NonNullable<typeof outcome.exported>;

  const { test, validation } = outcome;
  const baseName = start?.name;
  const version = await deps.store.registry.registerVersion(
    trainedVersionEntry({
      model,
      job,
      datasetPath,
      epochs,
      seed: DEFAULT_SPLIT_SEED,
      mode,
      outcome,
      artifactPath,
      extraParams: { ...(baseName ? { base: baseName } : {}), gpusRequested: gpus },
    }),
  );

  const v = `v${version.version}`;
  const sizesOf = Object.values(outcome.classBalance).reduce(
    (sum, c) => ({ train: sum.train + c.train, validation: sum.validation + c.validation, test: sum.test + c.test }),
    { train: 0, validation: 0, test: 0 },
  );
  const examples = sizesOf.train + sizesOf.validation + sizesOf.test;
  const stopped = outcome.stoppedEarly ? ` Stopped early after epoch ${outcome.history.length}; kept epoch ${outcome.bestEpoch}.` : '';
  const from = baseName ? ` from ${baseName} (${mode})` : '';
  // The bot refuses --gpus for built-in models; this is reached only when the bot's config names a trainer this worker's does not.
  const gpuNote = gpus > 0 ? ` It ran on CPU: the built-in trainer does not use GPUs, so the ${gpus} GPU(s) requested were not used.` : '';
  const headline = test ? `test accuracy ${percent(test.accuracy)}, macro F1 ${test.macroF1.toFixed(3)}` : `validation accuracy ${percent(validation.accuracy)}`;
  return {
    summary: `Trained ${model} ${v} on ${examples} examples (${outcome.network.labels.length} labels, ${outcome.network.kind}${from}) in ${((Date.now() - started) / 1000).toFixed(1)} s: ${headline}.${stopped}${gpuNote}`,
    details: {
      version: v,
      algorithm: outcome.network.kind,
      mode,
      ...(baseName ? { base: baseName } : {}),
      'train / validation / test': `${sizesOf.train} / ${sizesOf.validation} / ${sizesOf.test}`,
      'class balance': formatClassBalance(outcome.classBalance),
      epochs: `${outcome.history.length} run, best ${outcome.bestEpoch}`,
      'val accuracy': round(validation.accuracy),
      'val loss': formatLoss(validation.loss),
      ...(test ? { 'test accuracy': round(test.accuracy), 'test macro F1': round(test.macroF1), 'test loss': formatLoss(test.loss) } : { test: 'no test rows' }),
      ...(outcome.columns ? { columns: outcome.columns } : {}),
      'dataset sha256': outcome.datasetHash.slice(0, 12),
      ONNX: `${(exported.onnxBytes / 1e6).toFixed(2)} MB, max |Δp| vs trainer ${exported.onnxDifference.toExponential(1)}`,
      'featurise / fit': `${outcome.featurizeSeconds.toFixed(1)} s / ${outcome.fitSeconds.toFixed(1)} s`,
    },
    history: curve(outcome),
    nextSteps: newVersionNextSteps(deps, model, v, { builtIn: true }),
  };
};
