import type { JobProgress } from '../../core/index.js';
import type { EpochEta } from './epoch-eta.js';
import type { TrainingEvent } from './train-text-model.js';

/** Epochs take 10–95%: loading and featurising come before, exporting after. */
const FIRST_EPOCH_PERCENT = 10;
const LAST_EPOCH_PERCENT = 95;

/** The progress a training event shows in the conversation; epoch metrics use the curve's keys. With `eta`, epochs say the time left. */
export function trainingProgress(event: TrainingEvent, epochs: number, eta?: EpochEta): JobProgress {
  if (event.type === 'stage') {
    eta?.mark();
    return { percent: event.percent, message: event.message };
  }
  const m = event.metrics;
  const left = eta?.after(m.epoch, epochs);
  return {
    percent: FIRST_EPOCH_PERCENT + ((LAST_EPOCH_PERCENT - FIRST_EPOCH_PERCENT) * m.epoch) / epochs,
    message: `epoch ${m.epoch}/${epochs} · loss ${m.loss.toFixed(4)} · acc ${m.accuracy.toFixed(3)} · val loss ${m.valLoss.toFixed(4)} · val acc ${m.valAccuracy.toFixed(3)}${left ? ` · ${left}` : ''}`,
    metrics: { epoch: m.epoch, loss: m.loss, accuracy: m.accuracy, val_loss: m.valLoss, val_accuracy: m.valAccuracy },
  };
}

/**
 * Progress sent in order without holding up the training process that produces it.
 * `flush` waits for what was sent and rethrows the first failure to record it; a
 * failure is held until then, so a job that fails first never leaves it unhandled.
 */
export function orderedProgress<P = JobProgress>(report: (progress: P) => Promise<void>): { send(progress: P): void; flush(): Promise<void> } {
  let chain: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | undefined;
  return {
    send: (progress) => {
      chain = chain.then(() => report(progress)).catch((error: unknown) => void (failure ??= { error }));
    },
    flush: async () => {
      await chain;
      if (failure) throw failure.error;
    },
  };
}
