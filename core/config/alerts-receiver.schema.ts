import { z } from 'zod';

/** Where an alert group's triage thread goes. */
const alertConversationSchema = z.strictObject({
  platform: z.enum(['slack', 'teams', 'local']),
  /** Slack team id, Teams tenant id; empty for local. */
  workspace: z.string().default(''),
  channelId: z.string().min(1),
});

/**
 * One route: a group whose labels (its common labels, then its group labels) equal every `match`
 * entry goes to `conversation`. The first matching route wins; a route without `match` matches
 * everything, so put it last as the default.
 */
export const alertRouteSchema = z.strictObject({
  match: z.record(z.string(), z.string()).default({}),
  conversation: alertConversationSchema,
});

/** The Alertmanager receiver and triage threads; merged into `alerts` next to the rules (core/config/alert-rules.schema.ts). */
export const alertsReceiverShape = {
  /**
   * The bearer token Alertmanager sends (its webhook's `http_config.authorization.credentials`); also
   * OPSBOT_ALERTMANAGER_TOKEN. Without it `POST /alerts/alertmanager` is not served.
   */
  receiverToken: z.string().min(32, 'OPSBOT_ALERTMANAGER_TOKEN must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  /** Alertmanager's address (http://alertmanager:9093): Silence buttons create real silences there; absent: opsbot silences. Also OPSBOT_ALERTMANAGER_URL. */
  alertmanagerUrl: z.string().url().optional(),
  /** Label matchers → conversation, first match wins. */
  routes: z.array(alertRouteSchema).default([]),
  /** What Escalate mentions, as the platform writes it (Slack `<!subteam^S0123>`, or `@ml-oncall`). */
  onCall: z.string().min(1).optional(),
} as const;

export type AlertRoute = z.infer<typeof alertRouteSchema>;
