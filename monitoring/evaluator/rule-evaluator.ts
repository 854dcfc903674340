import type { AlertmanagerWebhook } from '../../alerts/alertmanager-payload.js';
import { durationSeconds, type AlertRule } from '../../core/config/alert-rules.schema.js';
import type { RuleAlert, RuleAlertStore, RuleAlertWrite } from '../../core/alerts/rule-alert.js';
import type { Logger } from '../../core/logger.port.js';
import { PROMQL_METRICS } from '../promql-metrics.js';
import { nextPhase, type AlertPhase } from './alert-lifecycle.js';
import { EVALUATED_SERIES, RATE_WINDOW_MS, embeddedMetricValue } from './embedded-metric-value.js';
import { parseSamples } from './exposition-samples.js';
import { robustZScore } from './robust-z-score.js';
import { ruleAlertKey, ruleAlertNotification } from './rule-alert-notification.js';
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
  /** A page of /metrics, or undefined when it cannot be read. @defaultValue fetch with a 5 s timeout */
  scrape?: (url: string) => Promise<string | undefined>;
}

/** Alertmanager's default repeat_interval: a firing alert nobody acknowledged is said again this often. */
export const REPEAT_MS = 4 * 3_600_000;
/** An anomaly rule needs this many points, over at least half its window, before a z-score means anything. */
const MIN_ANOMALY_POINTS = 10;
const SCRAPE_TIMEOUT_MS = 5_000;

const iso = (ms: number) => new Date(ms).toISOString();
const periodMs = (rule: AlertRule) => durationSeconds(rule.period) * 1000;
const slotKey = (model: string, env: string) => `${model}|${env}`;
const written = ({ revision: _revision, ...alert }: RuleAlert): RuleAlertWrite => alert;

async function fetchPage(url: string): Promise<string | undefined> {
  try {
    const answer = await fetch(url, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
    return answer.ok ? await answer.text() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * opsbot's own evaluation of its alert rules, for the embedded default (no Prometheus): every tick it scrapes the model
 * servers' routers, computes each rule's metric per model and environment as the exported PromQL would, and moves each
 * alert through pending → firing → resolved (alert-lifecycle.ts). Fired alerts are stored before the triage thread is
 * told and marked told after, so a restart re-tells one it may not have told and never fires one twice.
 */
export class EmbeddedRuleEvaluator {
  private readonly now: () => number;
  private readonly scrape: (url: string) => Promise<string | undefined>;
  private readonly histories = new Map<string, TargetHistory>();
  private readonly phases = new Map<string, AlertPhase>();
  private readonly anomalyPoints = new Map<string, Array<{ at: number; value: number }>>();
  private fired?: Map<string, RuleAlert>;
  private running?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(private readonly deps: EmbeddedRuleEvaluatorDeps) {
    this.now = deps.now ?? Date.now;
    this.scrape = deps.scrape ?? fetchPage;
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
    return [...(await this.loaded()).values()].filter((alert) => alert.status === 'firing');
  }

  /** One evaluation of every rule; concurrent calls share it. */
  tick(): Promise<void> {
    this.running ??= this.evaluate().finally(() => (this.running = undefined));
    return this.running;
  }

  private async loaded(): Promise<Map<string, RuleAlert>> {
    this.fired ??= new Map((await this.deps.store.list()).map((alert) => [alert.key, alert]));
    return this.fired;
  }

  private async evaluate(): Promise<void> {
    const fired = await this.loaded();
    await this.tellUntold(fired);
    const now = this.now();
    const bySlot = await this.scrapeTargets(now);
    const verdicts = new Map<string, Verdict>();
    for (const rule of this.deps.rules) {
      for (const { model, env, histories } of bySlot.values()) {
        if ((rule.model && rule.model !== model) || (rule.env && rule.env !== env)) continue;
        const key = ruleAlertKey(rule, model, env);
        const metric = embeddedMetricValue(rule.metric, histories, now);
        const value = rule.type === 'anomaly' ? this.zScore(rule, key, metric, now) : metric;
        const seen = verdict(rule, value);
        verdicts.set(key, seen);
        await this.step(rule, model, env, key, seen, value, now);
      }
    }
    await this.settleUnseen(fired, verdicts, now);
  }

  /** Scrapes every target at once; each slot's histories (live and preview routers) for the rules. */
  private async scrapeTargets(now: number): Promise<Map<string, { model: string; env: string; histories: TargetHistory[] }>> {
    const targets = await this.deps.targets().catch((error: unknown) => {
      this.deps.log.warn({ err: error }, 'could not list the model servers to evaluate alert rules against');
      return [];
    });
    const bySlot = new Map<string, { model: string; env: string; histories: TargetHistory[] }>();
    const current = new Set<string>();
    await Promise.all(
      targets.map(async (target) => {
        const id = `${slotKey(target.model, target.env)}|${target.role}`;
        current.add(id);
        let history = this.histories.get(id);
        if (!history) this.histories.set(id, (history = new TargetHistory(2 * RATE_WINDOW_MS)));
        const page = await this.scrape(target.url);
        if (page !== undefined) history.record(now, parseSamples(page, (name) => EVALUATED_SERIES.has(name)));
        const slot = slotKey(target.model, target.env);
        if (!bySlot.has(slot)) bySlot.set(slot, { model: target.model, env: target.env, histories: [] });
        bySlot.get(slot)!.histories.push(history);
      }),
    );
    for (const id of this.histories.keys()) if (!current.has(id)) this.histories.delete(id);
    return bySlot;
  }

  private async step(rule: AlertRule, model: string, env: string, key: string, seen: Verdict, value: number | undefined, now: number): Promise<void> {
    const fired = (await this.loaded()).get(key);
    const before: AlertPhase =
      fired?.status === 'firing' ? { ...(this.phases.get(key) ?? {}), kind: 'firing', activeSince: Date.parse(fired.activeSince), firingSince: Date.parse(fired.firingSince) } : (this.phases.get(key) ?? { kind: 'inactive' });
    const { phase, event } = nextPhase(before, seen, now, periodMs(rule));
    this.phases.set(key, phase);
    if (event === 'fired') {
      await this.fire(rule, { key, rule: rule.name, model, env, status: 'firing', activeSince: iso(phase.kind === 'firing' ? phase.activeSince : now), firingSince: iso(now), value: value as number });
    } else if (event === 'resolved' && fired) {
      await this.resolve(rule, fired, value ?? fired.value, now);
    } else if (fired?.status === 'firing' && fired.notifiedAt && now - Date.parse(fired.notifiedAt) >= REPEAT_MS) {
      await this.tell(rule, { ...fired, value: value ?? fired.value });
    }
  }

  /** Firing alerts with no data this tick (or whose rule is gone): resolved once their model no longer serves there. */
  private async settleUnseen(fired: Map<string, RuleAlert>, verdicts: Map<string, Verdict>, now: number): Promise<void> {
    for (const alert of [...fired.values()]) {
      if (alert.status !== 'firing') continue;
      const rule = this.deps.rules.find((candidate) => ruleAlertKey(candidate, alert.model, alert.env) === alert.key);
      if (!rule) {
        this.deps.log.warn({ alert: alert.key }, 'a firing alert\'s rule is no longer configured; it is forgotten (its thread stays as it was)');
        if (await this.deps.store.remove(alert.key, alert.revision)) fired.delete(alert.key);
        continue;
      }
      const seen = verdicts.get(alert.key);
      if (seen !== undefined && seen !== 'no-data') continue;
      if (await this.deps.served(alert.model, alert.env).catch(() => true)) continue;
      this.phases.delete(alert.key);
      await this.resolve(rule, alert, alert.value, now, `Resolved because ${alert.model} no longer serves in ${alert.env}.`);
    }
  }

  private async fire(rule: AlertRule, alert: RuleAlertWrite): Promise<void> {
    const fired = await this.loaded();
    const saved = await this.deps.store.save(alert, 0);
    if (!saved) {
      // Another evaluator on the same database fired it first: take its record, and leave the telling to it.
      const stored = (await this.deps.store.list()).find((candidate) => candidate.key === alert.key);
      if (stored) fired.set(stored.key, stored);
      return;
    }
    fired.set(saved.key, saved);
    this.deps.log.info({ alert: saved.key, value: saved.value }, 'an alert rule fired');
    await this.tell(rule, saved);
  }

  private async resolve(rule: AlertRule, alert: RuleAlert, value: number, now: number, note?: string): Promise<void> {
    const fired = await this.loaded();
    const saved = await this.deps.store.save({ ...written(alert), status: 'resolved', resolvedAt: iso(now), value, notifiedAt: undefined }, alert.revision);
    if (!saved) {
      const stored = (await this.deps.store.list()).find((candidate) => candidate.key === alert.key);
      if (stored) fired.set(stored.key, stored);
      else fired.delete(alert.key);
      return;
    }
    fired.set(saved.key, saved);
    this.deps.log.info({ alert: saved.key, value }, 'an alert rule resolved');
    await this.tell(rule, saved, note);
  }

  /** Tells the triage thread, then records that it was told (a firing alert) or forgets it (a resolved one). */
  private async tell(rule: AlertRule, alert: RuleAlert, note?: string): Promise<void> {
    const fired = await this.loaded();
    try {
      await this.deps.deliver(ruleAlertNotification(rule, alert, note));
    } catch (error) {
      this.deps.log.warn({ err: error, alert: alert.key }, 'could not post an alert to its triage thread; retrying at the next evaluation');
      return;
    }
    if (alert.status === 'resolved') {
      await this.deps.store.remove(alert.key, alert.revision);
      fired.delete(alert.key);
      return;
    }
    const saved = await this.deps.store.save({ ...written(alert), notifiedAt: iso(this.now()) }, alert.revision);
    if (saved) fired.set(saved.key, saved);
  }

  /** Alerts stored but never told (opsbot stopped in between, or the chat was down): told now. */
  private async tellUntold(fired: Map<string, RuleAlert>): Promise<void> {
    for (const alert of [...fired.values()]) {
      if (alert.notifiedAt) continue;
      const rule = this.deps.rules.find((candidate) => ruleAlertKey(candidate, alert.model, alert.env) === alert.key);
      if (rule) await this.tell(rule, alert);
    }
  }

  /** The metric's robust z-score against its own trailing window, once the window holds enough points. */
  private zScore(rule: Extract<AlertRule, { type: 'anomaly' }>, key: string, value: number | undefined, now: number): number | undefined {
    const windowMs = durationSeconds(rule.window) * 1000;
    const points = (this.anomalyPoints.get(key) ?? []).filter((point) => point.at > now - windowMs);
    if (value !== undefined) points.push({ at: now, value });
    this.anomalyPoints.set(key, points);
    if (value === undefined || points.length < MIN_ANOMALY_POINTS || (points[0] as { at: number }).at > now - windowMs / 2) return undefined;
    return robustZScore(value, points.map((point) => point.value), rule.madFloor ?? PROMQL_METRICS[rule.metric].madFloor);
  }
}
