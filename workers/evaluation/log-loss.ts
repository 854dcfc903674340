import { metric, notAvailable, type Metric } from './metric.js';

/** Probabilities are clipped to this before the log, so a confident miss costs ~34.5 rather than Infinity. */
export const LOG_LOSS_EPSILON = 1e-15;

/** Mean cross-entropy of the true class: −mean(log p[actual]). */
export function logLoss(actual: readonly number[], probabilities: readonly (readonly number[])[]): Metric {
  if (actual.length === 0) return notAvailable('no examples');
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const p = probabilities[i]?.[actual[i] as number] ?? 0;
    sum -= Math.log(Math.min(1, Math.max(LOG_LOSS_EPSILON, p)));
  }
  return metric(sum / actual.length);
}
