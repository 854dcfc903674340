import { COMPARISON_DECIMALS, type MetricComparison } from './compare-evaluations.js';
import type { Metric } from './metric.js';

export function formatMetric(m: Metric): string {
  return m.defined ? m.value.toFixed(COMPARISON_DECIMALS) : `n/a (${m.reason})`;
}

export function formatPercent(m: Metric): string {
  return m.defined ? `${(100 * m.value).toFixed(1)}%` : `n/a (${m.reason})`;
}

/** `★ 0.9125 vs 0.8875 (▲ +0.0250)`: candidate first, ★ on the better value, the arrow the delta's sign; `(tie)` when equal as shown. */
export function formatComparison(c: MetricComparison): string {
  const candidate = formatMetric(c.candidate);
  const baseline = formatMetric(c.baseline);
  if (c.delta === undefined || c.winner === undefined) return `${candidate} vs ${baseline}`;
  if (c.winner === 'tie') return `${candidate} vs ${baseline} (tie)`;
  const delta = `(${c.delta > 0 ? '▲ +' : '▼ −'}${Math.abs(c.delta).toFixed(COMPARISON_DECIMALS)})`;
  return c.winner === 'candidate' ? `★ ${candidate} vs ${baseline} ${delta}` : `${candidate} vs ★ ${baseline} ${delta}`;
}
