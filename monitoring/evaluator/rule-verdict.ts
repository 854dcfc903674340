import type { AlertRule } from '../../core/config/alert-rules.schema.js';

/**
 * How far past the threshold the value must come back before a firing alert counts as clear: 10% of the threshold
 * (of `z` for an anomaly rule). A value hovering at the threshold then keeps one alert firing instead of a resolve and a
 * fire every few evaluations.
 */
export const HYSTERESIS = 0.1;

/** What one evaluation says: the condition holds, it is clear (past the hysteresis band), in the band, or unknown. */
export type Verdict = 'breached' | 'clear' | 'between' | 'no-data';

/** The bound a rule's value is compared with: its threshold, or ±z for an anomaly rule (a spike above, a drop below). */
export function ruleBound(rule: AlertRule): number {
  if (rule.type === 'threshold') return rule.threshold;
  return rule.operator.startsWith('>') ? rule.z : -rule.z;
}

/** NaN (a share of no traffic) compares false, as in PromQL: clear, so an alert resolves when traffic stops. */
export function verdict(rule: AlertRule, value: number | undefined): Verdict {
  if (value === undefined) return 'no-data';
  if (Number.isNaN(value)) return 'clear';
  const bound = ruleBound(rule);
  const band = HYSTERESIS * Math.abs(bound);
  switch (rule.operator) {
    case '>':
      return value > bound ? 'breached' : value <= bound - band ? 'clear' : 'between';
    case '>=':
      return value >= bound ? 'breached' : value < bound - band ? 'clear' : 'between';
    case '<':
      return value < bound ? 'breached' : value >= bound + band ? 'clear' : 'between';
    case '<=':
      return value <= bound ? 'breached' : value > bound + band ? 'clear' : 'between';
  }
}
