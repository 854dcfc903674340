import { Gauge } from 'prom-client';
import type { JobQueue } from '../../core/queue/job-queue.port.js';
import type { WorkerCapacity } from '../../core/queue/queue-counts.js';
import type { AlertGroupStore } from '../../core/alerts/alert-group.js';
import { EMBEDDED_EVALUATOR_RECEIVER } from '../../core/alerts/rule-alert.js';
import type { BlueGreenStore } from '../../core/store/blue-green-store.port.js';
import { METRICS_PREFIX, type OpsbotMetrics } from './opsbot-metrics.js';

/** Deployments counted by phase on each scrape, newest first; older ones are left out of `opsbot_deployments`. */
const DEPLOYMENTS_COUNTED = 10_000;
const QUEUE_STATES = ['waiting', 'active', 'failed', 'delayed'] as const;
/** Severities given their own series; any other value (Alertmanager labels are free text) counts as `other`. */
const SEVERITIES = new Set(['critical', 'warning', 'info', '']);

/** Where the scraped gauges read from; each one absent in a process that has none. */
export interface MetricSources {
  /** The producer side (the bot): jobs per queue and state. */
  queue?: JobQueue;
  /** This process's worker: job slots and GPUs; undefined while it is not started. */
  capacity?: () => WorkerCapacity | undefined;
  /** Approvals, deployment phases and what is live. */
  blueGreen?: BlueGreenStore;
  /** Alert groups firing now (the bot). */
  alertGroups?: AlertGroupStore;
}

/**
 * The gauges that describe state rather than count events: read from their source when
 * Prometheus scrapes, so they are never stale or double-counted. A source that fails
 * (Redis away) leaves its gauges empty and counts `opsbot_metrics_collect_errors_total`.
 */
export function registerStateGauges(metrics: OpsbotMetrics, sources: MetricSources): void {
  const registers = [metrics.registry];
  const failed = (source: string) => metrics.collectErrors.inc({ source });

  const { queue, capacity, blueGreen, alertGroups } = sources;
  if (alertGroups) {
    new Gauge({
      name: `${METRICS_PREFIX}alerts_firing`,
      help: 'Alert groups firing now, by severity label and source (alertmanager, or opsbot\'s embedded evaluator)',
      labelNames: ['severity', 'source'],
      registers,
      async collect() {
        try {
          const counts = await alertGroups.countFiring();
          this.reset();
          for (const source of ['alertmanager', 'embedded']) this.set({ severity: 'critical', source }, 0);
          for (const { severity, receiver, count } of counts) {
            const labels = { severity: SEVERITIES.has(severity) ? severity || 'none' : 'other', source: receiver === EMBEDDED_EVALUATOR_RECEIVER ? 'embedded' : 'alertmanager' };
            this.inc(labels, count);
          }
        } catch {
          this.reset();
          failed('store');
        }
      },
    });
  }
  if (queue?.counts) {
    const counts = queue.counts.bind(queue);
    new Gauge({
      name: `${METRICS_PREFIX}queue_jobs`,
      help: 'Jobs in each queue by state (waiting, active, failed, delayed), as the queue driver reports them',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        try {
          for (const row of await counts()) for (const state of QUEUE_STATES) this.set({ queue: row.queue, state }, row[state]);
        } catch {
          failed('queue');
        }
      },
    });
  }
  if (capacity) {
    const slots = (pick: (c: WorkerCapacity) => { size: number; used: number }) =>
      function (this: Gauge) {
        this.reset();
        const now = capacity();
        if (!now) return;
        const { size, used } = pick(now);
        this.set({ state: 'used' }, used);
        this.set({ state: 'free' }, size - used);
      };
    new Gauge({ name: `${METRICS_PREFIX}worker_job_slots`, help: 'This process’s slots for jobs that need no GPU, free and used', labelNames: ['state'], registers, collect: slots((c) => c.jobSlots) });
    new Gauge({ name: `${METRICS_PREFIX}worker_gpu_slots`, help: 'This process’s GPUs, free and held by a job', labelNames: ['state'], registers, collect: slots((c) => c.gpus) });
  }
  if (blueGreen) {
    new Gauge({
      name: `${METRICS_PREFIX}approvals_pending`,
      help: 'Deployments awaiting approval (Promote/Reject)',
      registers,
      async collect() {
        try {
          this.set((await blueGreen.list({ phases: ['awaiting_approval'] })).length);
        } catch {
          failed('store');
        }
      },
    });
    new Gauge({
      name: `${METRICS_PREFIX}deployments`,
      help: `Blue-green deployments by phase (of the newest ${DEPLOYMENTS_COUNTED})`,
      labelNames: ['phase'],
      registers,
      async collect() {
        this.reset();
        try {
          const byPhase = new Map<string, number>();
          for (const d of await blueGreen.list({ limit: DEPLOYMENTS_COUNTED })) byPhase.set(d.phase, (byPhase.get(d.phase) ?? 0) + 1);
          for (const [phase, count] of byPhase) this.set({ phase }, count);
        } catch {
          failed('store');
        }
      },
    });
    new Gauge({
      name: `${METRICS_PREFIX}deployment_live_version`,
      help: 'The version each model serves live in each environment, with its live colour (one series per model and environment)',
      labelNames: ['model', 'env', 'colour'],
      registers,
      async collect() {
        this.reset();
        try {
          for (const slot of await blueGreen.slots()) {
            const served = slot.live && slot.colours[slot.live];
            if (slot.live && served) this.set({ model: slot.model, env: slot.env, colour: slot.live }, served.version);
          }
        } catch {
          failed('store');
        }
      },
    });
  }
}
