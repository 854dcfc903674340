import { createHash } from 'node:crypto';
import type { AlertmanagerWebhook } from '../../alerts/alertmanager-payload.js';
import { alertName, type AlertRule } from '../../core/config/alert-rules.schema.js';
import { EMBEDDED_EVALUATOR_RECEIVER, type RuleAlert } from '../../core/alerts/rule-alert.js';
import { runbookUrl } from '../prometheus-rule-file.js';
import { PROMQL_METRICS } from '../promql-metrics.js';
import { conditionText, fourDigits } from '../rule-description.js';
import { ruleBound } from './rule-verdict.js';

/** `<AlertName>|<model>|<env>`: the stored alert's key. */
export const ruleAlertKey = (rule: AlertRule, model: string, env: string) => `${alertName(rule.name)}|${model}|${env}`;

/** The labels an exported rule gives its alerts, plus `evaluator="embedded"`: routes match the same labels either way. */
export function ruleAlertLabels(rule: AlertRule, model: string, env: string): Record<string, string> {
  return { alertname: alertName(rule.name), severity: rule.severity, rule: rule.name, metric: rule.metric, source: 'opsbot', evaluator: 'embedded', model, env };
}

/** Labels as Alertmanager writes a group key's label set: sorted, quoted. */
const labelSet = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(',')}}`;

function ruleAnnotations(rule: AlertRule, alert: RuleAlert, note?: string): Record<string, string> {
  const unit = PROMQL_METRICS[rule.metric].unit;
  return {
    summary: `${rule.name}: ${alert.model} in ${alert.env}`,
    description: `${conditionText(rule, fourDigits(alert.value))} for ${rule.period}.${note ? ` ${note}` : ''}`,
    value: rule.type === 'threshold' ? `${fourDigits(alert.value)} ${unit}` : `z ${fourDigits(alert.value)}`,
    threshold: rule.type === 'threshold' ? `${rule.operator} ${rule.threshold} ${unit}` : `z ${rule.operator} ${ruleBound(rule)}`,
    runbook_url: runbookUrl(rule),
  };
}

/**
 * The notification the triage threads take for an alert of the embedded evaluator, in the shape Alertmanager's
 * webhook has: one alert per group, grouped by rule, model and environment, with the labels it fired with, so it takes
 * the same path as Alertmanager's (routes, one parent per group, buttons). `rule` is absent when the alert's rule is no
 * longer configured: its resolution then says so in `note`.
 */
export function ruleAlertNotification(rule: AlertRule | undefined, alert: RuleAlert, note?: string): AlertmanagerWebhook {
  const labels = alert.labels;
  const name = labels.alertname ?? alert.key.split('|')[0] ?? alert.rule;
  const groupLabels = { alertname: name, env: alert.env, model: alert.model };
  const annotations = rule ? ruleAnnotations(rule, alert, note) : { summary: `${alert.rule}: ${alert.model} in ${alert.env}`, description: note ?? '' };
  const fingerprint = createHash('sha256').update(labelSet(labels)).digest('hex').slice(0, 16);
  return {
    version: '4',
    groupKey: `${EMBEDDED_EVALUATOR_RECEIVER}/{}:${labelSet(groupLabels)}`,
    truncatedAlerts: 0,
    status: alert.status,
    receiver: EMBEDDED_EVALUATOR_RECEIVER,
    groupLabels,
    commonLabels: labels,
    commonAnnotations: annotations,
    alerts: [{ status: alert.status, labels, annotations, startsAt: alert.activeSince, endsAt: alert.resolvedAt, fingerprint }],
  };
}
