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

/** Labels as Alertmanager writes a group key's label set: sorted, quoted. */
const labelSet = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(',')}}`;

/**
 * The notification the triage threads take for an alert of the embedded evaluator, in the shape Alertmanager's
 * webhook has: the same labels an exported rule gives its alerts (plus `evaluator="embedded"`), one alert per group,
 * grouped by rule, model and environment, so it takes the same path (routes, one parent per group, buttons).
 */
export function ruleAlertNotification(rule: AlertRule, alert: RuleAlert, note?: string): AlertmanagerWebhook {
  const name = alertName(rule.name);
  const labels: Record<string, string> = { alertname: name, severity: rule.severity, rule: rule.name, metric: rule.metric, source: 'opsbot', evaluator: 'embedded', model: alert.model, env: alert.env };
  const groupLabels = { alertname: name, env: alert.env, model: alert.model };
  const unit = PROMQL_METRICS[rule.metric].unit;
  const value = rule.type === 'threshold' ? `${fourDigits(alert.value)} ${unit}` : `z ${fourDigits(alert.value)}`;
  const threshold = rule.type === 'threshold' ? `${rule.operator} ${rule.threshold} ${unit}` : `z ${rule.operator} ${ruleBound(rule)}`;
  const annotations: Record<string, string> = {
    summary: `${rule.name}: ${alert.model} in ${alert.env}`,
    description: `${conditionText(rule, fourDigits(alert.value))} for ${rule.period}.${note ? ` ${note}` : ''}`,
    value,
    threshold,
    runbook_url: runbookUrl(rule),
  };
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
