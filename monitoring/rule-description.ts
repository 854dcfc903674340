import type { AlertRule } from '../core/config/alert-rules.schema.js';
import { PROMQL_METRICS } from './promql-metrics.js';

/**
 * What an alert of `rule` says about its value (`value`: the number, or Prometheus' template for it): the same words
 * from an exported rule's annotations and from the embedded evaluator.
 */
export function conditionText(rule: AlertRule, value: string): string {
  const metric = PROMQL_METRICS[rule.metric];
  if (rule.type === 'threshold') return `${rule.metric} (${metric.description}, ${metric.unit}) is ${value}, threshold ${rule.operator} ${rule.threshold}`;
  const direction = rule.operator.startsWith('>') ? `${rule.operator} ${rule.z}` : `${rule.operator} -${rule.z}`;
  return `${rule.metric} (${metric.description}, ${metric.unit}) is anomalous: robust z-score ${value} against its trailing ${rule.window}, threshold ${direction}`;
}

/** A value as Prometheus' `printf "%.4g"` would show it, closely enough for people. */
export function fourDigits(value: number): string {
  return String(Number(value.toPrecision(4)));
}
