import type { AlertmanagerWebhook, WebhookAlert } from '../../alerts/index.js';

/** Alertmanager's endsAt for an alert that still fires. */
export const STILL_FIRING = '0001-01-01T00:00:00Z';

export interface AlertFields {
  /** Labels beyond the group's common ones (a pod, an instance): they tell the alerts apart. */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  fingerprint: string;
  status?: 'firing' | 'resolved';
  startsAt?: string;
  endsAt?: string;
}

/** One alert as Alertmanager's webhook writes it (template.Alert): a resolved one carries its endsAt. */
export function webhookAlert(common: Record<string, string>, fields: AlertFields): WebhookAlert {
  const status = fields.status ?? 'firing';
  return {
    status,
    labels: { ...common, ...fields.labels },
    annotations: fields.annotations ?? { value: '0.08', threshold: '0.05' },
    startsAt: fields.startsAt ?? '2026-12-01T10:00:00Z',
    endsAt: fields.endsAt ?? (status === 'resolved' ? '2026-12-01T10:30:00Z' : STILL_FIRING),
    generatorURL: 'http://prometheus:9090/graph?g0.expr=x',
    fingerprint: fields.fingerprint,
  };
}

export interface GroupFields {
  alertname: string;
  model?: string;
  env?: string;
  severity?: string;
}

/** The labels Alertmanager groups on (`group_by: [alertname, model, env]`) and its group key for them. */
export function alertGroup(fields: GroupFields): { groupKey: string; groupLabels: Record<string, string>; commonLabels: Record<string, string> } {
  const groupLabels: Record<string, string> = { alertname: fields.alertname, ...(fields.env ? { env: fields.env } : {}), ...(fields.model ? { model: fields.model } : {}) };
  const key = Object.entries(groupLabels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}="${value}"`)
    .join(', ');
  return { groupKey: `{}:{${key}}`, groupLabels, commonLabels: { ...groupLabels, severity: fields.severity ?? 'warning' } };
}

/**
 * A real-format v4 webhook body, as Alertmanager sends it: by default the staging Error rate group
 * of sentiment with one firing alert. `status` follows the alerts (resolved only when all are).
 */
export function webhook(overrides: Partial<AlertmanagerWebhook> = {}): AlertmanagerWebhook {
  const group = alertGroup({ alertname: 'Error rate', env: 'staging', model: 'sentiment' });
  const alerts = overrides.alerts ?? [webhookAlert(group.commonLabels, { fingerprint: 'aaaa0000aaaa0000' })];
  return {
    version: '4',
    groupKey: group.groupKey,
    truncatedAlerts: 0,
    status: alerts.every((alert) => alert.status === 'resolved') ? 'resolved' : 'firing',
    receiver: 'opsbot',
    groupLabels: group.groupLabels,
    commonLabels: group.commonLabels,
    commonAnnotations: { summary: `${group.commonLabels.alertname}: sentiment in staging` },
    externalURL: 'http://alertmanager.example:9093',
    ...overrides,
    alerts,
  };
}

/** The notification Alertmanager sends for `group` with these alerts (their status decides the group's). */
export function groupWebhook(fields: GroupFields, alerts: AlertFields[], overrides: Partial<AlertmanagerWebhook> = {}): AlertmanagerWebhook {
  const group = alertGroup(fields);
  return webhook({
    ...group,
    commonAnnotations: { summary: `${fields.alertname}${fields.model ? `: ${fields.model}` : ''}${fields.env ? ` in ${fields.env}` : ''}` },
    alerts: alerts.map((alert) => webhookAlert(group.commonLabels, alert)),
    ...overrides,
  });
}

/** POSTs a body to opsbot's receiver as Alertmanager does (bearer token from http_config.authorization); `raw` sends bytes as they are. */
export function postToReceiver(baseUrl: string, body: unknown, token: string | undefined, raw?: string): Promise<Response> {
  return fetch(`${baseUrl}/alerts/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: raw ?? JSON.stringify(body),
  });
}
