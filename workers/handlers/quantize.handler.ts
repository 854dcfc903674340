import { basename, join } from 'node:path';
import { identityKey, PermanentJobError, quantizeRefusal } from '../../core/index.js';
import { DEFAULT_SPLIT_SEED, runQuantizeProcess } from '../training/index.js';
import { orderedProgress, trainingProgress } from '../training/training-progress.js';
import { newVersionNextSteps } from './next-steps.js';
import type { JobHandler } from './handler-deps.js';
import { artifactPathFor, produceVersion } from './model-artifact.js';

/** Batch-1 latency is timed on this many test texts: a stable median in about a second. */
const LATENCY_TEXTS = 200;

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const ms = (x: number) => `${x.toFixed(3)} ms`;

/**
 * INT8 quantisation of a registered FP32 version, in a training process: int8 weights
 * with per-column scales behind DequantizeLinear in the ONNX graph, registered as a
 * new version. Reports the size ratio, and the accuracy (test split) and batch-1
 * latency of both ONNX files, measured with onnxruntime.
 */
export const quantizeHandler: JobHandler<'quantize'> = async (action, job, context, deps) => {
  const { model } = action.args;
  const source = await deps.store.registry.getVersion(model, Number(action.args.version));
  if (!source) throw new PermanentJobError(`${model} v${action.args.version} no longer exists in the registry`);
  // The dispatcher refused these before queueing; checked again here, not in the training process, where an
  // artifact opsbot cannot read would fail as an internal error, retried in vain.
  const refusal = quantizeRefusal(source);
  if (refusal) throw new PermanentJobError(refusal);
  await context.reportProgress({ percent: 5, message: `loading ${model} v${source.version}` });
  const artifactPath = artifactPathFor(model, job.jobId);
  const progress = orderedProgress((p) => context.reportProgress(p));
  const outcome = await produceVersion(deps, model, job.jobId, context, (files) =>
    runQuantizeProcess(
      {
        sourceManifest: join(deps.dataDir, source.artifactPath),
        target: { manifestPath: files.path(basename(artifactPath)), metadata: { model, job: job.jobId, from: `v${source.version}` } },
        dataset: {
          path: source.dataset,
          workDir: deps.workDir,
          seed: typeof source.params.seed === 'number' ? source.params.seed : DEFAULT_SPLIT_SEED,
          hash: source.datasetHash,
        },
        latencyTexts: LATENCY_TEXTS,
      },
      { signal: context.signal, entry: deps.trainingProcessEntry, onEvent: (event) => progress.send(trainingProgress(event, 1)) },
    ),
  );
  await progress.flush();
  const { accuracy, latency } = outcome;
  const sizeRatio = outcome.int8Bytes / outcome.fp32Bytes;
  const delta = accuracy ? accuracy.int8 - accuracy.fp32 : undefined;

  const version = await deps.store.registry.registerVersion({
    model,
    createdBy: identityKey(job.requestedBy),
    jobId: job.jobId,
    dataset: source.dataset,
    datasetHash: source.datasetHash,
    metrics: {
      ...(accuracy ? { test_accuracy: accuracy.int8, test_accuracy_fp32: accuracy.fp32, accuracy_delta: accuracy.int8 - accuracy.fp32 } : {}),
      size_ratio: sizeRatio,
      onnx_bytes: outcome.int8Bytes,
      latency_p50_ms: latency.int8.p50Ms,
      latency_p50_ms_fp32: latency.fp32.p50Ms,
    },
    params: { ...source.params, quantized: 'int8', from: source.version, precision: 'int8', onnxBytes: outcome.int8Bytes, trainedBy: job.requestedBy.displayName },
    artifactPath,
    conversation: job.conversation,
  });

  const v = `v${version.version}`;
  const accuracyText =
    accuracy && delta !== undefined ? `test accuracy ${pct(accuracy.int8)} (${delta >= 0 ? '+' : '−'}${Math.abs(100 * delta).toFixed(2)} pt)` : 'accuracy not compared';
  return {
    summary: `Quantized ${model} v${source.version} to INT8 as ${v}: ${(100 * sizeRatio).toFixed(1)}% of the FP32 size, ${accuracyText}, batch-1 latency ${ms(latency.int8.p50Ms)} (FP32 ${ms(latency.fp32.p50Ms)}).${outcome.note ? ` Note: ${outcome.note}.` : ''}`,
    details: {
      version: v,
      from: `v${source.version}`,
      'ONNX size': `${mb(outcome.fp32Bytes)} → ${mb(outcome.int8Bytes)} (${(100 * sizeRatio).toFixed(1)}%)`,
      ...(accuracy && delta !== undefined
        ? { 'test accuracy': `${pct(accuracy.fp32)} → ${pct(accuracy.int8)}`, 'accuracy delta (pt)': Number((100 * delta).toFixed(2)), 'test examples': accuracy.examples }
        : {}),
      'latency p50, batch 1': `${ms(latency.fp32.p50Ms)} → ${ms(latency.int8.p50Ms)}`,
      'latency p99, batch 1': `${ms(latency.fp32.p99Ms)} → ${ms(latency.int8.p99Ms)}`,
      'max |Δp| vs INT8 weights': outcome.onnxDifference.toExponential(1),
    },
    nextSteps: newVersionNextSteps(deps, model, v, { builtIn: true }),
  };
};
