import type { AlertmanagerWebhook } from '../../alerts/alertmanager-payload.js';
import { durationSeconds, type AlertRule } from '../../core/config/alert-rules.schema.js';
import type { RuleAlert, RuleAlertStore, RuleAlertWrite } from '../../core/alerts/rule-alert.js';
import type { Logger } from '../../core/logger.port.js';
import { anomalyStep } from '../alert-expression.js';
import { parseSamples, readMetricsPage } from '../exposition.js';
import { PROMQL_METRICS } from '../promql-metrics.js';
import { nextPhase, type AlertPhase } from './alert-lifecycle.js';
import { EVALUATED_SERIES, RATE_WINDOW_MS, embeddedMetricValue } from './embedded-metric-value.js';
import { robustZScore } from './robust-z-score.js';
import { ruleAlertKey, ruleAlertLabels, ruleAlertNotification } from './rule-alert-notification.js';
import { verdict, type Verdict } from './rule-verdict.js';
import { TargetHistory } from './target-history.js';

/** A model server scrape target: a local router's /metrics, with the slot it serves. */
export interface MetricsTarget {
  model: string;
  env: string;
  /** `live` (the endpoint) or `preview`. */
  role: string;
  url: string;
}

export interface EmbeddedRuleEvaluatorDeps {
  rules: readonly AlertRule[];
  /** Where the model servers' metrics are now (the local target's routers). */
  targets: () => Promise<MetricsTarget[]>;
  store: RuleAlertStore;
  /** Whether the model still serves in the environment: a firing alert of one that no longer does resolves. */
  served: (model: string, env: string) => Promise<boolean>;
  /** The triage threads' entry (AlertTriage.receive): the same path Alertmanager's notifications take. */
  deliver: (notification: AlertmanagerWebhook) => Promise<unknown>;
  log: Logger;
  /** @defaultValue Date.now */
  now?: () => number;
  /** A page of /metrics, or undefined when it cannot be read. @defaultValue fetch with a 10 s timeout */
  scrape?: (url: string) => Promise<string | undefined>;
}

/** Alertmanager's default repeat_interval: a firing alert nobody acknowledged is said again this often. */
export const REPEAT_MS = 4 * 3_600_000;
/** An anomaly rule needs this many points, over at least half its window, before a z-score means anything. */
const MIN_ANOMALY_POINTS = 10;
/** Longer than the router's 5 s per replica, so one slow replica costs its own series, not the slot's scrape (Prometheus' default is 10 s too). */
const SCRAPE_TIMEOUT_MS = 10_000;

const iso = (ms: number) => new Date(ms).toISOString();
const periodMs = (rule: AlertRule) => durationSeconds(rule.period) * 1000;
const slotKey = (model: string, env: string) => `${model}|${env}`;
const written = ({ revision: _revision, ...alert }: RuleAlert): RuleAlertWrite => alert;
const selects = (rule: AlertRule, model: string, env: string) => (!rule.model || rule.model === model) && (!rule.env || rule.env === env);

/**
 * opsbot's own evaluation of its alert rules, for the embedded default (no Prometheus): every tick it scrapes the model
 * servers' routers, computes each rule's metric per model and environment as the exported PromQL would, and moves each
 * alert through pending → firing → resolved (alert-lifecycle.ts). A fired alert is stored before the triage thread is
 * told and marked told after (at-least-once: a crash in between tells it again, which the thread shows as a repeat), and
 * the store is read at every tick, so a restart or a second bot on the same database never fires one twice.
 */
export class EmbeddedRuleEvaluator {
  private readonly now: () => number;
  private readonly scrape: (url: string) => Promise<string | undefined>;
  private readonly histories = new Map<string, TargetHistory>();
  /** Conditions holding but not for their whole period yet (never stored: after a restart they start again). */
  private readonly pending = new Map<string, Extract<AlertPhase, { kind: 'pending' }>>();
  /** Since when a firing alert's value has been clear, by key. */
  private readonly clearSince = new Map<string, number>();
  private readonly anomalyPoints = new Map<string, Array<{ at: number; value: number }>>();
  private readonly warnedSelectors = new Set<string>();
  private fired = new Map<string, RuleAlert>();
  private running?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(private readonly deps: EmbeddedRuleEvaluatorDeps) {
    this.now = deps.now ?? Date.now;
    this.scrape = deps.scrape ?? ((url) => readMetricsPage(url, SCRAPE_TIMEOUT_MS));
  }

  /** Evaluates every `intervalMs` (the first at once); a tick still running when the next is due is not doubled. */
  start(intervalMs: number): void {
    const tick = () => void this.tick().catch((error: unknown) => this.deps.log.error({ err: error }, 'an alert rule evaluation failed'));
    tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** The alerts firing now, as stored. */
  async firing(): Promise<RuleAlert[]> {
    return (await this.deps.store.list()).filter((alert) => alert.status === 'firing');
  }

  /** One evaluation of every rule; concurrent calls share it. */
  tick(): Promise<void> {
    this.running ??= this.evaluate().finally(() => (this.running = undefined));
    return this.running;
  }

  /** The rule an alert belongs to: same name and still selecting its model and environment. */
  private ruleOf(alert: RuleAlert): AlertRule | undefined {
    return this.deps.rules.find((rule) => ruleAlertKey(rule, alert.model, alert.env) === alert.key && selects(rule, alert.model, alert.env));
  }

  private async evaluate(): Promise<void> {
    this.fired = new Map((await this.deps.store.list()).map((alert) => [alert.key, alert]));
    await this.tellUntold();
    const bySlot = await this.scrapeTargets();
    const now = this.now();
    const verdicts = new Map<string, Verdict>();
    for (const rule of this.deps.rules) {
      let matched = 0;
      for (const { model, env, histories } of bySlot.values()) {
        if (!selects(rule, model, env)) continue;
        matched++;
        const key = ruleAlertKey(rule, model, env);
        const metric = embeddedMetricValue(rule.metric, histories, now);
        const value = rule.type === 'anomaly' ? this.zScore(rule, key, metric, now) : metric;
        const seen = verdict(rule, value);
        verdicts.set(key, seen);
        await this.step(rule, model, env, key, seen, value, now);
      }
      if (matched === 0 && bySlot.size > 0 && (rule.model || rule.env) && !this.warnedSelectors.has(rule.name)) {
        this.warnedSelectors.add(rule.name);
        this.deps.log.warn({ rule: rule.name, model: rule.model, env: rule.env }, 'an alert rule selects no model and environment that is served; check its model/env');
      }
    }
    await this.settleUnseen(verdicts, now);
    this.forgetExcept(verdicts);
  }

  /** Scrapes every target at once; each slot's histories (live and preview routers) for the rules. */
  private async scrapeTargets(): Promise<Map<string, { model: string; env: string; histories: TargetHistory[] }>> {
    const targets = await this.deps.targets().catch((error: unknown) => {
      this.deps.log.warn({ err: error }, 'could not list the model servers to evaluate alert rules against');
      return [];
    });
    const bySlot = new Map<string, { model: string; env: string; histories: TargetHistory[] }>();
    const scraped = targets.map((target) => {
      const slot = slotKey(target.model, target.env);
      const id = `${slot}|${target.role}`;
      let history = this.histories.get(id);
      if (!history) this.histories.set(id, (history = new TargetHistory(2 * RATE_WINDOW_MS)));
      if (!bySlot.has(slot)) bySlot.set(slot, { model: target.model, env: target.env, histories: [] });
      bySlot.get(slot)!.histories.push(history);
      return { id, url: target.url, history };
    });
    const current = new Set(scraped.map((target) => target.id));
    await Promise.all(
      scraped.map(async ({ url, history }) => {
        const page = await this.scrape(url);
        // Stamped when the page arrived, as Prometheus stamps a scrape's samples.
        history.record(this.now(), page === undefined ? undefined : parseSamples(page, (name) => EVALUATED_SERIES.has(name)));
      }),
    );
    for (const id of this.histories.keys()) if (!current.has(id)) this.histories.delete(id);
    return bySlot;
  }

  private async step(rule: AlertRule, model: string, env: string, key: string, seen: Verdict, value: number | undefined, now: number): Promise<void> {
    const fired = this.fired.get(key);
    const before: AlertPhase =
      fired?.status === 'firing'
        ? { kind: 'firing', activeSince: Date.parse(fired.activeSince), firingSince: Date.parse(fired.firingSince), clearSince: this.clearSince.get(key) }
        : (this.pending.get(key) ?? { kind: 'inactive' });
    const { phase, event } = nextPhase(before, seen, now, periodMs(rule));
    if (phase.kind === 'pending') this.pending.set(key, phase);
    else this.pending.delete(key);
    if (phase.kind === 'firing' && phase.clearSince !== undefined) this.clearSince.set(key, phase.clearSince);
    else this.clearSince.delete(key);
    const finite = value !== undefined && Number.isFinite(value) ? value : undefined;
    if (event === 'fired' && phase.kind === 'firing') {
      await this.fire(rule, { key, rule: rule.name, model, env, status: 'firing', activeSince: iso(phase.activeSince), firingSince: iso(now), value: finite ?? 0, labels: ruleAlertLabels(rule, model, env) }, fired);
    } else if (event === 'resolved' && fired) {
      await this.resolve(rule, fired, finite ?? fired.value, now);
    } else if (fired?.status === 'firing' && fired.notifiedAt && now - Date.parse(fired.notifiedAt) >= REPEAT_MS) {
      await this.tell(rule, { ...fired, value: finite ?? fired.value });
    }
  }

  /**
   * Firing alerts not evaluated to a value this tick: resolved, saying why, when their rule is gone (or no longer
   * selects their model and environment) or their model no longer serves there; else kept (a server restarting).
   */
  private async settleUnseen(verdicts: Map<string, Verdict>, now: number): Promise<void> {
    for (const alert of [...this.fired.values()]) {
      if (alert.status !== 'firing') continue;
      const rule = this.ruleOf(alert);
      if (!rule) {
        await this.resolve(undefined, alert, alert.value, now, `Resolved because its rule "${alert.rule}" is no longer configured for ${alert.model} in ${alert.env}; opsbot stopped evaluating it.`);
        continue;
      }
      const seen = verdicts.get(alert.key);
      if (seen !== undefined && seen !== 'no-data') continue;
      if (await this.deps.served(alert.model, alert.env).catch(() => true)) continue;
      await this.resolve(rule, alert, alert.value, now, `Resolved because ${alert.model} no longer serves in ${alert.env}.`);
    }
  }

  /** Stores a new firing alert (over an untold resolved one of the same key: the thread never heard it resolve), then tells it. */
  private async fire(rule: AlertRule, alert: RuleAlertWrite, existing: RuleAlert | undefined): Promise<void> {
    const saved = await this.deps.store.save(alert, existing?.status === 'resolved' ? existing.revision : 0);
    if (!saved) return this.reread(alert.key);
    this.fired.set(saved.key, saved);
    this.deps.log.info({ alert: saved.key, value: saved.value }, 'an alert rule fired');
    await this.tell(rule, saved);
  }

  private async resolve(rule: AlertRule | undefined, alert: RuleAlert, value: number, now: number, note?: string): Promise<void> {
    const saved = await this.deps.store.save({ ...written(alert), status: 'resolved', resolvedAt: iso(now), value, notifiedAt: undefined }, alert.revision);
    if (!saved) return this.reread(alert.key);
    this.fired.set(saved.key, saved);
    this.clearSince.delete(saved.key);
    this.deps.log.info({ alert: saved.key, value }, 'an alert rule resolved');
    await this.tell(rule, saved, note);
  }

  /** Tells the triage thread, then records that it was told (a firing alert) or forgets it (a resolved one). */
  private async tell(rule: AlertRule | undefined, alert: RuleAlert, note?: string): Promise<void> {
    try {
      await this.deps.deliver(ruleAlertNotification(rule, alert, note));
    } catch (error) {
      this.deps.log.warn({ err: error, alert: alert.key }, 'could not post an alert to its triage thread; retrying at the next evaluation');
      return;
    }
    if (alert.status === 'resolved') {
      if (await this.deps.store.remove(alert.key, alert.revision)) this.fired.delete(alert.key);
      else await this.reread(alert.key);
      return;
    }
    const saved = await this.deps.store.save({ ...written(alert), notifiedAt: iso(this.now()) }, alert.revision);
    if (saved) this.fired.set(saved.key, saved);
    else await this.reread(alert.key);
  }

  /** Another writer (a second bot on the database) changed the alert first: take what it stored. */
  private async reread(key: string): Promise<void> {
    const stored = (await this.deps.store.list()).find((candidate) => candidate.key === key);
    if (stored) this.fired.set(key, stored);
    else this.fired.delete(key);
  }

  /** Alerts stored but never told (opsbot stopped in between, or the chat was down): told now. A firing one whose rule went is resolved by settleUnseen instead. */
  private async tellUntold(): Promise<void> {
    for (const alert of [...this.fired.values()]) {
      if (alert.notifiedAt) continue;
      const rule = this.ruleOf(alert);
      if (rule || alert.status === 'resolved') await this.tell(rule, alert, rule ? undefined : `Resolved because its rule "${alert.rule}" is no longer configured for ${alert.model} in ${alert.env}.`);
    }
  }

  /** Drops what is kept for rule/slot pairs that were not evaluated this tick and do not fire (a rule or slot gone). */
  private forgetExcept(verdicts: Map<string, Verdict>): void {
    for (const map of [this.pending, this.clearSince, this.anomalyPoints] as Array<Map<string, unknown>>) {
      for (const key of map.keys()) if (!verdicts.has(key) && !this.fired.has(key)) map.delete(key);
    }
  }

  /**
   * The metric's robust z-score against its own trailing window, once the window holds enough points. The window keeps
   * one point per step (the exported rule's subquery step, about 60 per window), so memory and work stay flat whatever
   * the window. NaN (no traffic to take a share of) is not a point, and stays NaN (clear).
   */
  private zScore(rule: Extract<AlertRule, { type: 'anomaly' }>, key: string, value: number | undefined, now: number): number | undefined {
    if (value === undefined || Number.isNaN(value)) return value;
    const windowMs = durationSeconds(rule.window) * 1000;
    const stepMs = durationSeconds(anomalyStep(rule.window)) * 1000;
    const points = (this.anomalyPoints.get(key) ?? []).filter((point) => point.at > now - windowMs);
    const last = points[points.length - 1];
    if (!last || now - last.at >= stepMs) points.push({ at: now, value });
    this.anomalyPoints.set(key, points);
    const window = points[points.length - 1]!.at === now ? points.map((point) => point.value) : [...points.map((point) => point.value), value];
    if (window.length < MIN_ANOMALY_POINTS || (points[0] as { at: number }).at > now - windowMs / 2) return undefined;
    return robustZScore(value, window, rule.madFloor ?? PROMQL_METRICS[rule.metric].madFloor);
  }
}
