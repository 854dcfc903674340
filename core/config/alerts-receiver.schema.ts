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

/** A Teams user's Microsoft Entra object id (a GUID), or their Teams id (`29:…`, `8:orgid:…`): what a mention entity may name. */
const TEAMS_USER_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|29:\S+|8:orgid:\S+)$/i;

/** The person Escalate mentions in Teams (the on-call's Entra object id and display name). */
export const onCallTeamsSchema = z.strictObject(
  {
    id: z
      .string({ error: 'must be a string' })
      .trim()
      .regex(TEAMS_USER_ID, 'must be the on-call person’s Microsoft Entra object id (a GUID, e.g. from `az ad user show`) or Teams id (29:…), not a name'),
    name: z
      .string({ error: 'must be a string' })
      .trim()
      .min(1, 'must be the name Teams shows for the mention, e.g. "ML on-call"')
      .max(100, 'must be at most 100 characters')
      .refine((name) => !/[<>]/.test(name), 'must not contain < or > (it goes inside Teams’ <at> tag)'),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'must be {"id": "<Entra object id or 29:… id>", "name": "<display name>"}' : undefined) },
);

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
  /** What Escalate mentions, as the platform writes it (Slack `<!subteam^S0123>`, or `@ml-oncall`); Teams threads use `onCallTeams` when set. */
  onCall: z.string().min(1).optional(),
  /** Who Escalate mentions in a Teams thread: text there notifies no one, a mention entity does. */
  onCallTeams: onCallTeamsSchema.optional(),
} as const;

export type AlertRoute = z.infer<typeof alertRouteSchema>;
export type OnCallTeams = z.infer<typeof onCallTeamsSchema>;
