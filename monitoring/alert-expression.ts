import { durationSeconds, type AlertRule, type AnomalyAlertRule } from '../core/config/alert-rules.schema.js';
import { PROMQL_METRICS } from './promql-metrics.js';

/** The rule's selectors as PromQL label matchers (`model="x",env="prod"`); label values are escaped as PromQL strings. */
export function ruleMatchers(rule: Pick<AlertRule, 'model' | 'env'>): string {
  return [rule.model && `model=${JSON.stringify(rule.model)}`, rule.env && `env=${JSON.stringify(rule.env)}`].filter(Boolean).join(',');
}

/** The metric's value as PromQL, for the rule's selectors. */
export function metricExpression(rule: AlertRule): string {
  return PROMQL_METRICS[rule.metric].expr(ruleMatchers(rule));
}

/** 1 / Φ⁻¹(0.75): scales the MAD to the standard deviation of a normal distribution (Iglewicz and Hoaglin). */
export const MAD_SCALE = 0.6745;

/**
 * The subquery step of an anomaly window: about 60 points per window, never finer than 15s (a scrape interval).
 * The evaluation cost is (window / step)² evaluations of the metric, so the point count is kept fixed.
 */
export function anomalyStep(window: string): string {
  return `${Math.max(15, Math.round(durationSeconds(window) / 60))}s`;
}

/**
 * The robust z-score of the metric against its own trailing window:
 *
 *   z = 0.6745 · (x − median_W(x)) / max(MAD_W, floor)
 *   median_W(x) = quantile_over_time(0.5, (x)[W:S])
 *   MAD_W       = quantile_over_time(0.5, (abs(x − median_W(x)))[W:S])
 *
 * PromQL cannot take every point's deviation from the one current median, so MAD_W is the median of each point's
 * deviation from the median trailing *it* (a close approximation on a window that does not trend). The floor
 * (`madFloor`, else the metric's default) keeps a perfectly flat window from turning any wiggle into an infinite z.
 */
export function anomalyZScore(rule: AnomalyAlertRule): string {
  const x = metricExpression(rule);
  const range = `[${rule.window}:${anomalyStep(rule.window)}]`;
  const median = `quantile_over_time(0.5, (${x})${range})`;
  const mad = `quantile_over_time(0.5, (abs((${x}) - ${median}))${range})`;
  const floor = rule.madFloor ?? PROMQL_METRICS[rule.metric].madFloor;
  return `${MAD_SCALE} * ((${x}) - ${median}) / clamp_min(${mad}, ${floor})`;
}

/**
 * The alert's condition. A threshold rule compares the metric; an anomaly rule compares the z-score with `z` above
 * (`>`, `>=`: a spike) or with `-z` below (`<`, `<=`: a drop). The value of the alert ($value) is the metric or the z-score.
 */
export function alertExpression(rule: AlertRule): string {
  if (rule.type === 'threshold') return `(${metricExpression(rule)}) ${rule.operator} ${rule.threshold}`;
  const bound = rule.operator.startsWith('>') ? rule.z : -rule.z;
  return `(${anomalyZScore(rule)}) ${rule.operator} ${bound}`;
}
