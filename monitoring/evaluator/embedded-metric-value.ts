import type { AlertMetric } from '../../core/config/alert-rules.schema.js';
import { durationSeconds } from '../../core/config/alert-rules.schema.js';
import { PREDICTION_ROUTES, RATE_WINDOW } from '../promql-metrics.js';
import type { Sample } from '../exposition.js';
import { histogramQuantile } from './histogram-quantile.js';
import type { TargetHistory } from './target-history.js';

const SERIES = 'opsbot_model_server_';
/** The families the evaluator reads; the rest of a page is skipped while parsing. */
export const EVALUATED_SERIES = new Set(
  ['requests_total', 'request_duration_seconds_bucket', 'cache_hits_total', 'cache_misses_total', 'batch_size_sum', 'batch_size_count', 'in_flight_requests'].map((name) => SERIES + name),
);
export const RATE_WINDOW_MS = durationSeconds(RATE_WINDOW) * 1000;

const PREDICTIONS = new Set(PREDICTION_ROUTES.split('|'));
const named = (name: string, also: (sample: Sample) => boolean = () => true) => (sample: Sample) => sample.name === SERIES + name && also(sample);
const prediction = (sample: Sample) => PREDICTIONS.has(sample.labels.route ?? '');
const codeClass = (digit: string) => (sample: Sample) => prediction(sample) && (sample.labels.code ?? '').startsWith(digit);

/** sum(rate(...)) over the slot's targets; undefined when no series has two samples in the window (PromQL: no result). */
function sumRate(histories: readonly TargetHistory[], select: (sample: Sample) => boolean, now: number): number | undefined {
  const rates = histories.flatMap((history) => history.rates(select, RATE_WINDOW_MS, now));
  return rates.length === 0 ? undefined : rates.reduce((sum, rate) => sum + rate.perSecond, 0);
}

/**
 * part / whole. No whole: no data. A whole of 0 (series there, no traffic in the window) is NaN, as in PromQL, which no
 * comparison holds for: an error-rate alert resolves once predictions stop. A part with no series yet (no 5xx ever
 * answered) counts as 0 where PromQL would return nothing, so the rate is 0 rather than unknown.
 */
const ratio = (part: number | undefined, whole: number | undefined) => (whole === undefined ? undefined : whole === 0 ? NaN : (part ?? 0) / whole);

function latencyMs(quantile: number, histories: readonly TargetHistory[], now: number): number | undefined {
  const byLe = new Map<number, number>();
  for (const history of histories) {
    for (const { sample, perSecond } of history.rates(named('request_duration_seconds_bucket', prediction), RATE_WINDOW_MS, now)) {
      const le = sample.labels.le === '+Inf' ? Infinity : Number(sample.labels.le);
      byLe.set(le, (byLe.get(le) ?? 0) + perSecond);
    }
  }
  if (byLe.size === 0) return undefined;
  return histogramQuantile(quantile, [...byLe].map(([le, count]) => ({ le, count }))) * 1000;
}

/**
 * The rule metric for one model and environment (the samples of its routers' scrapes), computed as the PromQL of
 * monitoring/promql-metrics.ts computes it over Prometheus' copy of the same series, so an embedded rule and its
 * exported twin agree. Undefined: no data (nothing scraped yet, no series); NaN: PromQL's NaN (a share of nothing).
 */
export function embeddedMetricValue(metric: AlertMetric, histories: readonly TargetHistory[], now: number): number | undefined {
  const requests = (select: (sample: Sample) => boolean) => sumRate(histories, named('requests_total', select), now);
  switch (metric) {
    case 'response_time':
      return latencyMs(0.95, histories, now);
    case 'p50_latency':
      return latencyMs(0.5, histories, now);
    case 'p99_latency':
      return latencyMs(0.99, histories, now);
    case 'error_rate':
      return ratio(requests(codeClass('5')), requests(prediction));
    case 'client_error_rate':
      return ratio(requests(codeClass('4')), requests(prediction));
    case 'qps':
      return requests(prediction);
    case 'cache_hit_ratio': {
      const hits = sumRate(histories, named('cache_hits_total'), now);
      const misses = sumRate(histories, named('cache_misses_total'), now);
      // As PromQL: no hits series yet (nothing ever answered from a cache) is no data, not a ratio of 0.
      return hits === undefined ? undefined : ratio(hits, hits + (misses ?? 0));
    }
    case 'batch_size':
      return ratio(sumRate(histories, named('batch_size_sum'), now), sumRate(histories, named('batch_size_count'), now));
    case 'in_flight': {
      const gauges = histories.flatMap((history) => history.latest(named('in_flight_requests'), RATE_WINDOW_MS, now));
      return gauges.length === 0 ? undefined : gauges.reduce((sum, sample) => sum + sample.value, 0);
    }
  }
}
