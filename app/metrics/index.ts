export { OpsbotMetrics, METRICS_PREFIX } from './opsbot-metrics.js';
export { registerStateGauges, type MetricSources } from './metrics-collectors.js';
export { timedProcessor } from './timed-processor.js';
export { metricsHandler, METRICS_PATH } from './metrics-handler.js';
export { metricsGuard, type MetricsGuardOptions } from './metrics-guard.js';
export { ackTiming } from './ack-timing.js';
export { startWorkerMetricsServer, type RunningMetricsServer } from './worker-metrics-server.js';
