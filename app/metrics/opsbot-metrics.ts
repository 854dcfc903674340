import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CounterName, HistogramName, MetricLabels, Metrics } from '../../core/metrics/metrics.port.js';

export const METRICS_PREFIX = 'opsbot_';

/** Seconds: a command's handling is milliseconds to a few seconds (a store, a queue, a chat post). */
const COMMAND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Slack retries an event it has no 200 for within 3 s; Teams gives a turn 15 s. */
const ACK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3, 15];
/** Jobs run from under a second (scale) to hours (train, tune). */
const JOB_BUCKETS = [0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 21600];

/**
 * One process's Prometheus registry (never prom-client's global one, so two runtimes in a
 * test stay apart) and every series opsbot exports; README "Metrics" lists them. Core counts
 * through the `Metrics` port it implements; app/ code moves the rest directly, and the
 * gauges that describe state (queues, slots, deployments) are read when scraped
 * (see metrics-collectors.ts). Every label comes from a bounded set: action names, outcomes,
 * queue names, phases, and model/env names bounded by the registry and the config.
 */
export class OpsbotMetrics implements Metrics {
  readonly registry = new Registry();
  readonly commands = new Counter({
    name: `${METRICS_PREFIX}commands_total`,
    help: 'Commands handled by the dispatcher, by action (confirmation, approval or none when it named none) and outcome',
    labelNames: ['action', 'outcome'],
    registers: [this.registry],
  });
  readonly commandDuration = new Histogram({
    name: `${METRICS_PREFIX}command_duration_seconds`,
    help: 'Time from a command reaching the dispatcher to its reply being posted or its job queued, by action',
    labelNames: ['action'],
    buckets: COMMAND_BUCKETS,
    registers: [this.registry],
  });
  readonly auditRecords = new Counter({
    name: `${METRICS_PREFIX}audit_records_appended_total`,
    help: 'Audit records the dispatcher appended, by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly ackDuration = new Histogram({
    name: `${METRICS_PREFIX}chat_ack_duration_seconds`,
    help: 'Time from a Slack or Teams request arriving to its HTTP answer (the ack), by platform and status class',
    labelNames: ['platform', 'status'],
    buckets: ACK_BUCKETS,
    registers: [this.registry],
  });
  readonly jobDuration = new Histogram({
    name: `${METRICS_PREFIX}job_duration_seconds`,
    help: 'Time one job attempt (or step of a parent job) ran in this process, by kind and outcome (completed, failed, cancelled, parked, lock_lost)',
    labelNames: ['kind', 'outcome'],
    buckets: JOB_BUCKETS,
    registers: [this.registry],
  });
  readonly jobsRunning = new Gauge({ name: `${METRICS_PREFIX}jobs_running`, help: 'Jobs running in this process now, by kind', labelNames: ['kind'], registers: [this.registry] });
  readonly trainingEpoch = new Gauge({
    name: `${METRICS_PREFIX}training_epoch`,
    help: 'The last epoch a running training job in this process reported, by model (gone once the job ends)',
    labelNames: ['model'],
    registers: [this.registry],
  });
  readonly trainingLoss = new Gauge({
    name: `${METRICS_PREFIX}training_loss`,
    help: 'The training loss of the last epoch a running training job in this process reported, by model (gone once the job ends)',
    labelNames: ['model'],
    registers: [this.registry],
  });
  readonly collectErrors = new Counter({
    name: `${METRICS_PREFIX}metrics_collect_errors_total`,
    help: 'Scrapes whose state could not be read from a source (queue, store), by source; its gauges are left empty then',
    labelNames: ['source'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: METRICS_PREFIX });
  }

  increment(name: CounterName, labels: MetricLabels): void {
    switch (name) {
      case 'commands_total':
        return this.commands.inc({ action: labels.action ?? 'none', outcome: labels.outcome ?? 'unknown' });
      case 'audit_records_appended_total':
        return this.auditRecords.inc({ outcome: labels.outcome ?? 'unknown' });
    }
  }

  observe(name: HistogramName, labels: MetricLabels, value: number): void {
    switch (name) {
      case 'command_duration_seconds':
        return this.commandDuration.observe({ action: labels.action ?? 'none' }, value);
    }
  }

  /** The Prometheus text exposition (version 0.0.4). */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
