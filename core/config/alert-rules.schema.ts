import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { MODEL_NAME_PATTERN, MODEL_NAME_RULE } from '../actions/action.schema.js';

/**
 * Alert rules in the format users already write (`{"alert_rules":[{"name","metric","threshold","period","severity"}]}`),
 * extended with model/env selectors, a comparison operator and anomaly rules. The PromQL each metric name stands for
 * lives in monitoring/promql-metrics.ts; only the names are known here, so a typo is refused at start-up.
 */
export const ALERT_METRICS = ['response_time', 'p50_latency', 'p99_latency', 'error_rate', 'client_error_rate', 'qps', 'cache_hit_ratio', 'batch_size', 'in_flight'] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

export const ALERT_OPERATORS = ['>', '>=', '<', '<='] as const;
export type AlertOperator = (typeof ALERT_OPERATORS)[number];

export const ALERT_SEVERITIES = ['critical', 'warning', 'info'] as const;

/** Prometheus durations (`30s`, `5m`, `1h30m`): what `for:` and range selectors accept. */
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Seconds in a Prometheus duration such as `1h30m`; the caller has checked it against DURATION. */
export function durationSeconds(duration: string): number {
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(amount) * (UNIT_SECONDS[unit as string] ?? 0);
  return total;
}

const duration = (field: string) =>
  z.string({ error: `${field} must be a duration such as "30s", "5m" or "1h"` }).regex(DURATION, `${field} must be a duration such as "30s", "5m" or "1h" (a number and one of ms, s, m, h, d, w, y)`);

const ruleFields = z.strictObject({
  name: z.string({ error: (issue) => (issue.input === undefined ? 'name is required' : 'name must be a text') }).trim().min(1, 'name must not be empty').max(120, 'name must be at most 120 characters'),
  /**
   * `threshold` (default): the metric compared with `threshold`; `anomaly`: the metric's robust z-score against its own
   * trailing `window` compared with `z`.
   */
  type: z.enum(['threshold', 'anomaly'], { error: 'type must be "threshold" or "anomaly"' }).default('threshold'),
  metric: z.enum(ALERT_METRICS, { error: `metric must be one of ${ALERT_METRICS.join(', ')}` }),
  threshold: z.number({ error: 'threshold must be a number (response_time and the latencies in ms, ratios from 0 to 1)' }).finite().optional(),
  /** @defaultValue `>` */
  operator: z.enum(ALERT_OPERATORS, { error: `operator must be one of ${ALERT_OPERATORS.join(' ')}` }).default('>'),
  /** How long the condition must hold before the alert fires (Prometheus `for:`). */
  period: duration('period'),
  severity: z.enum(ALERT_SEVERITIES, { error: `severity must be one of ${ALERT_SEVERITIES.join(', ')}` }),
  /** Only this model's series; absent: every model, one alert per model and environment. */
  model: z.string({ error: 'model must be a text' }).regex(MODEL_NAME_PATTERN, `model: ${MODEL_NAME_RULE}`).optional(),
  /** Only this environment's series (the `env` label Prometheus attaches from its scrape targets). */
  env: z.string({ error: 'env must be a text' }).regex(/^[a-z][a-z0-9-]{0,30}$/, 'env must be an environment name (lowercase letters, digits and "-")').optional(),
  /** Anomaly rules: the trailing window the median and MAD are taken over. @defaultValue `1h` */
  window: duration('window').optional(),
  /** Anomaly rules: the robust z-score that counts as an anomaly. @defaultValue `3.5` */
  z: z.number({ error: 'z must be a number' }).positive('z must be above 0').max(100, 'z must be at most 100').optional(),
  /** Anomaly rules: the smallest MAD used (in the metric's unit), so a perfectly flat window does not make any wiggle infinite. */
  madFloor: z.number({ error: 'madFloor must be a number' }).positive('madFloor must be above 0').optional(),
  /** Linked from the alert; absent: a placeholder to replace. */
  runbook_url: z.url({ error: 'runbook_url must be a URL' }).optional(),
});

export interface AlertRuleCommon {
  name: string;
  metric: AlertMetric;
  operator: AlertOperator;
  period: string;
  severity: (typeof ALERT_SEVERITIES)[number];
  model?: string;
  env?: string;
  runbook_url?: string;
}
export interface ThresholdAlertRule extends AlertRuleCommon {
  type: 'threshold';
  threshold: number;
}
export interface AnomalyAlertRule extends AlertRuleCommon {
  type: 'anomaly';
  window: string;
  z: number;
  madFloor?: number;
}
export type AlertRule = ThresholdAlertRule | AnomalyAlertRule;

export const DEFAULT_ANOMALY_WINDOW = '1h';
export const DEFAULT_ANOMALY_Z = 3.5;

/** Field problems of one rule that depend on its type. */
function typeProblems(rule: z.infer<typeof ruleFields>): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  if (rule.type === 'threshold') {
    if (rule.threshold === undefined) problems.push({ field: 'threshold', message: 'threshold is required for a threshold rule (a number)' });
    for (const field of ['window', 'z', 'madFloor'] as const) {
      if (rule[field] !== undefined) problems.push({ field, message: `${field} is only for type "anomaly"` });
    }
  } else {
    if (rule.threshold !== undefined) problems.push({ field: 'threshold', message: 'an anomaly rule compares a z-score with "z", not "threshold"' });
    const window = durationSeconds(rule.window ?? DEFAULT_ANOMALY_WINDOW);
    if (window < 600) problems.push({ field: 'window', message: 'window must be at least 10m, so the median and MAD have enough points' });
  }
  return problems;
}

function normalise(rule: z.infer<typeof ruleFields>): AlertRule {
  const { threshold, window, z: zScore, madFloor, ...common } = rule;
  if (rule.type === 'threshold') return { ...common, type: 'threshold', threshold: threshold as number };
  return { ...common, type: 'anomaly', window: window ?? DEFAULT_ANOMALY_WINDOW, z: zScore ?? DEFAULT_ANOMALY_Z, ...(madFloor === undefined ? {} : { madFloor }) };
}

/** `rule "High latency" (#1)`, or `rule #3` for one without a usable name. */
function ruleLabel(item: unknown, index: number): string {
  const name = typeof item === 'object' && item !== null && 'name' in item ? (item as { name: unknown }).name : undefined;
  return typeof name === 'string' && name.trim() ? `rule "${name.trim()}" (#${index + 1})` : `rule #${index + 1}`;
}

/** The Prometheus alert name of a rule: its words in PascalCase (`High latency` → `HighLatency`); alert names are metric names. */
export function alertName(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const pascal = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z_]/.test(pascal) ? pascal : `Opsbot${pascal}`;
}

/**
 * A list of rules: each problem names the rule (by name and position) and the field, and names (and the alert names
 * they become) are unique, so an alert always says which rule raised it.
 */
export const alertRuleListSchema = z.array(z.unknown(), { error: 'must be a list of alert rules' }).transform((items, context) => {
  const rules: AlertRule[] = [];
  items.forEach((item, index) => {
    const label = ruleLabel(item, index);
    const parsed = ruleFields.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.join('.');
        const message = issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
        context.addIssue({ code: 'custom', path: [index, ...issue.path], message: `${label}: ${field && !message.startsWith(field) ? `${field}: ` : ''}${message}` });
      }
      return;
    }
    const problems = typeProblems(parsed.data);
    for (const problem of problems) context.addIssue({ code: 'custom', path: [index, problem.field], message: `${label}: ${problem.message}` });
    if (problems.length === 0) rules.push(normalise(parsed.data));
  });
  const seen = new Map<string, string>();
  rules.forEach((rule, index) => {
    const key = alertName(rule.name).toLowerCase();
    const other = seen.get(key);
    if (other !== undefined) {
      context.addIssue({ code: 'custom', path: [index, 'name'], message: `rule "${rule.name}": name is used twice (also "${other}"); every rule needs a name of its own` });
    }
    seen.set(key, rule.name);
  });
  return rules;
});

/** The seed's JSON file exactly: `{"alert_rules": [...]}`. */
export const alertRulesSchema = z.strictObject({ alert_rules: alertRuleListSchema });

/** `alerts` in opsbot.config.json. */
export const alertsConfigSchema = z.strictObject({
  rules: alertRuleListSchema.default([]),
  /**
   * Who evaluates the rules: `embedded` (opsbot itself, against the local target's model servers; no Prometheus needed)
   * or `prometheus` (opsbot does not; load `opsbot alert-rules export`'s file in Prometheus). Also OPSBOT_ALERT_EVALUATOR.
   * @defaultValue `embedded`
   */
  evaluator: z.enum(['embedded', 'prometheus'], { error: 'alerts.evaluator must be "embedded" or "prometheus"' }).default('embedded'),
  /**
   * How often the embedded evaluator scrapes and evaluates (a Prometheus evaluation_interval). At most 30: its rates are
   * over the last minute, which needs two scrapes in it. @defaultValue 15
   */
  evaluationIntervalSeconds: z
    .number({ error: 'alerts.evaluationIntervalSeconds must be a number of seconds' })
    .int('alerts.evaluationIntervalSeconds must be a whole number of seconds')
    .min(1, 'alerts.evaluationIntervalSeconds must be at least 1')
    .max(30, 'alerts.evaluationIntervalSeconds must be at most 30 (rates are taken over the last minute, which needs at least two scrapes)')
    .default(15),
});

/**
 * Reads OPSBOT_ALERT_RULES (a file in the seed's format) and appends its rules to `merged.alerts.rules`, so they are
 * validated with the config's own; a file that is missing or malformed is one problem naming the file.
 */
export function mergeAlertRulesFile(merged: Record<string, unknown>, file: string, problems: string[]): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push(code === 'ENOENT' ? `OPSBOT_ALERT_RULES: no file at ${file}` : `OPSBOT_ALERT_RULES: ${file} is not valid JSON (${(error as Error).message})`);
    return;
  }
  const shape = z.object({ alert_rules: z.array(z.unknown()) }).strict().safeParse(parsed);
  if (!shape.success) {
    problems.push(`OPSBOT_ALERT_RULES: ${file} must hold {"alert_rules": [ ... ]} and nothing else`);
    return;
  }
  // Checked here too, so each problem names the file it is in; names clashing with the config's rules are left to the config's check.
  const checked = alertRuleListSchema.safeParse(shape.data.alert_rules);
  if (!checked.success) {
    problems.push(...checked.error.issues.map((issue) => `OPSBOT_ALERT_RULES (${file}): alert_rules.${issue.path.join('.')}: ${issue.message}`));
    return;
  }
  const alerts = (typeof merged.alerts === 'object' && merged.alerts !== null ? merged.alerts : {}) as Record<string, unknown>;
  const existing = Array.isArray(alerts.rules) ? alerts.rules : [];
  merged.alerts = { ...alerts, rules: [...existing, ...shape.data.alert_rules] };
}
