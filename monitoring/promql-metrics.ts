import type { AlertMetric } from '../core/config/alert-rules.schema.js';

/**
 * What each of the seed's metric names means in PromQL over the model servers' series
 * (model-server/model-server-metrics.ts). Every expression is aggregated `by (model, env)`: one alert per model and
 * environment, whatever the number of replicas or versions behind it. `model` and `version` come from the servers
 * themselves; `env` (and `role` / `colour`) are target labels the scrape config attaches (monitoring/scrape-config.ts).
 */
export interface PromqlMetric {
  /** For people: what the number is, in which unit. */
  description: string;
  unit: string;
  /** The PromQL, given the label matchers of the rule's selectors (`model="x",env="prod"`, or ''). */
  expr: (matchers: string) => string;
  /** The smallest MAD an anomaly rule divides by, in the metric's unit (see anomaly-expression). */
  madFloor: number;
}

/** The rate() window; with the default 15s scrape interval it holds 4 samples, so one missed scrape does not blank it. */
export const RATE_WINDOW = '1m';

/** Inference requests only: health checks and scrapes of /metrics are not traffic. */
export const PREDICTION_ROUTES = '/v1/models/:name:predict|/v2/models/:name/infer';

const SERIES = 'opsbot_model_server_';
const BY = 'by (model, env)';

/** `{a,b}` from matchers, skipping empty ones. */
const selector = (...matchers: string[]) => `{${matchers.filter(Boolean).join(',')}}`;
const predictions = (matchers: string) => selector(`route=~"${PREDICTION_ROUTES}"`, matchers);

const rate = (series: string, sel: string) => `rate(${SERIES}${series}${sel}[${RATE_WINDOW}])`;
const sumRate = (series: string, sel: string) => `sum ${BY} (${rate(series, sel)})`;

/** Latency quantile of predictions in milliseconds (the seed's `response_time` is in ms), from the histogram. */
const latencyMs = (quantile: number) => (matchers: string) =>
  `1000 * histogram_quantile(${quantile}, sum by (model, env, le) (${rate('request_duration_seconds_bucket', predictions(matchers))}))`;

export const PROMQL_METRICS: Record<AlertMetric, PromqlMetric> = {
  response_time: { description: 'p95 latency of predictions', unit: 'ms', expr: latencyMs(0.95), madFloor: 1 },
  p50_latency: { description: 'median latency of predictions', unit: 'ms', expr: latencyMs(0.5), madFloor: 1 },
  p99_latency: { description: 'p99 latency of predictions', unit: 'ms', expr: latencyMs(0.99), madFloor: 1 },
  error_rate: {
    description: 'share of predictions answered 5xx',
    unit: 'ratio',
    expr: (m) => `${sumRate('requests_total', selector(`route=~"${PREDICTION_ROUTES}"`, 'code=~"5.."', m))} / ${sumRate('requests_total', predictions(m))}`,
    madFloor: 0.001,
  },
  client_error_rate: {
    description: 'share of predictions refused 4xx (malformed or oversized requests)',
    unit: 'ratio',
    expr: (m) => `${sumRate('requests_total', selector(`route=~"${PREDICTION_ROUTES}"`, 'code=~"4.."', m))} / ${sumRate('requests_total', predictions(m))}`,
    madFloor: 0.001,
  },
  qps: { description: 'predictions per second', unit: 'req/s', expr: (m) => sumRate('requests_total', predictions(m)), madFloor: 0.1 },
  cache_hit_ratio: {
    description: 'share of predictions answered from the cache',
    unit: 'ratio',
    expr: (m) => `${sumRate('cache_hits_total', selector(m))} / (${sumRate('cache_hits_total', selector(m))} + ${sumRate('cache_misses_total', selector(m))})`,
    madFloor: 0.01,
  },
  batch_size: {
    description: 'mean texts per onnxruntime run',
    unit: 'texts',
    expr: (m) => `${sumRate('batch_size_sum', selector(m))} / ${sumRate('batch_size_count', selector(m))}`,
    madFloor: 0.5,
  },
  in_flight: { description: 'requests being answered now', unit: 'requests', expr: (m) => `sum ${BY} (${SERIES}in_flight_requests${selector(m)})`, madFloor: 1 },
};
