import { z } from 'zod';

const labelSet = z.record(z.string(), z.string());
/** Alertmanager writes RFC 3339 times; a firing alert's endsAt is the zero time `0001-01-01T00:00:00Z`. */
const time = z.string().min(1).max(64);

/** One alert of Alertmanager's webhook (notify/webhook/webhook.go, template.Alert). */
export const webhookAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelSet,
  annotations: labelSet.default({}),
  startsAt: time,
  endsAt: time.optional(),
  generatorURL: z.string().max(4096).optional(),
  fingerprint: z.string().min(1).max(64),
});

/** Alertmanager's webhook body, version 4: one notification for one alert group. */
export const alertmanagerWebhookSchema = z.object({
  version: z.literal('4'),
  groupKey: z.string().min(1).max(4096),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().max(1024),
  groupLabels: labelSet,
  commonLabels: labelSet,
  commonAnnotations: labelSet.default({}),
  externalURL: z.string().max(4096).optional(),
  alerts: z.array(webhookAlertSchema).max(10_000),
});

export type AlertmanagerWebhook = z.infer<typeof alertmanagerWebhookSchema>;
export type WebhookAlert = z.infer<typeof webhookAlertSchema>;
