/**
 * What core counts, without knowing how it is exported: app/ implements this with
 * prom-client (app/metrics/), so core stays free of any metrics SDK. Label values must
 * come from bounded sets (action names, outcomes), never user ids, texts or job ids.
 */
export type CounterName =
  /** One per command the dispatcher handled, by action and outcome. */
  | 'commands_total'
  /** One per audit record the dispatcher appended, by outcome. */
  | 'audit_records_appended_total';

export type HistogramName =
  /** Seconds from a command's arrival at the dispatcher to its reply, by action. */
  'command_duration_seconds';

export type MetricLabels = Readonly<Record<string, string>>;

export interface Metrics {
  increment(name: CounterName, labels: MetricLabels): void;
  observe(name: HistogramName, labels: MetricLabels, value: number): void;
}

/** For processes and tests that export nothing. */
export const NO_METRICS: Metrics = {
  increment: () => undefined,
  observe: () => undefined,
};
