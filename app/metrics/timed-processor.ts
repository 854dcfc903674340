import { JobCancelledError, JobLockLostError, JobParkedError, type JobProcessor } from '../../core/index.js';
import type { OpsbotMetrics } from './opsbot-metrics.js';

/**
 * Wraps a job processor to time each attempt by kind and outcome, count running jobs, and
 * show the epoch and loss of running training jobs by model. Models are the registry's,
 * so the `model` label is bounded by how many models there are; a model's series goes once
 * its last running training job ends.
 */
export function timedProcessor(processor: JobProcessor, metrics: OpsbotMetrics): JobProcessor {
  const trainingByModel = new Map<string, number>();
  return async (job, context) => {
    const kind = job.action.action;
    const args = job.action.args as Record<string, unknown>;
    const model = kind === 'train' && typeof args.model === 'string' ? args.model : undefined;
    if (model) trainingByModel.set(model, (trainingByModel.get(model) ?? 0) + 1);
    const started = performance.now();
    let outcome = 'completed';
    metrics.jobsRunning.inc({ kind });
    try {
      return await processor(job, {
        ...context,
        reportProgress: async (progress) => {
          const epoch = progress.metrics?.epoch;
          const loss = progress.metrics?.loss;
          if (model && Number.isFinite(epoch)) metrics.trainingEpoch.set({ model }, epoch!);
          if (model && Number.isFinite(loss)) metrics.trainingLoss.set({ model }, loss!);
          await context.reportProgress(progress);
        },
      });
    } catch (error) {
      outcome =
        error instanceof JobParkedError
          ? 'parked'
          : error instanceof JobLockLostError || context.signal.reason instanceof JobLockLostError
            ? 'lock_lost'
            : error instanceof JobCancelledError || context.signal.aborted
              ? 'cancelled'
              : 'failed';
      throw error;
    } finally {
      metrics.jobsRunning.dec({ kind });
      metrics.jobDuration.observe({ kind, outcome }, (performance.now() - started) / 1000);
      if (model) {
        const left = (trainingByModel.get(model) ?? 1) - 1;
        if (left > 0) trainingByModel.set(model, left);
        else {
          trainingByModel.delete(model);
          metrics.trainingEpoch.remove({ model });
          metrics.trainingLoss.remove({ model });
        }
      }
    }
  };
}
