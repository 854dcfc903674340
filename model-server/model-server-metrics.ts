import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const PREFIX = 'opsbot_model_server_';

/**
 * The server's Prometheus metrics, in a registry of its own (two servers in one process
 * stay apart). Every series carries the served model and version as labels, so a
 * dashboard can tell a blue replica from a green one.
 */
export class ModelServerMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: `${PREFIX}requests_total`, help: 'HTTP requests answered, by route and status code', labelNames: ['route', 'code'], registers: [this.registry] });
  readonly duration = new Histogram({
    name: `${PREFIX}request_duration_seconds`,
    help: 'Time from request to response, by route',
    labelNames: ['route'],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  /** Read from the server when scraped, not moved twice per request. */
  readonly inFlight: Gauge;
  readonly batchSize = new Histogram({
    name: `${PREFIX}batch_size`,
    help: 'Texts per onnxruntime run (dynamic batching coalesces concurrent requests)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [this.registry],
  });
  readonly cacheHits = new Counter({ name: `${PREFIX}cache_hits_total`, help: 'Predictions answered from the cache, by tier', labelNames: ['tier'], registers: [this.registry] });
  readonly cacheMisses = new Counter({ name: `${PREFIX}cache_misses_total`, help: 'Predictions no cache tier had', registers: [this.registry] });
  readonly modelInfo = new Gauge({ name: `${PREFIX}model_info`, help: 'The served model version (always 1)', labelNames: ['precision'], registers: [this.registry] });

  constructor(model: string, version: number, requestsInFlight: () => number = () => 0) {
    this.inFlight = new Gauge({
      name: `${PREFIX}in_flight_requests`,
      help: 'Requests being answered now',
      registers: [this.registry],
      collect() {
        this.set(requestsInFlight());
      },
    });
    this.registry.setDefaultLabels({ model, version: String(version) });
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
  }
}
