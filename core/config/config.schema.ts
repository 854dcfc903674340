import { z } from 'zod';
import { MODEL_NAME_PATTERN, MODEL_NAME_RULE } from '../actions/action.schema.js';
import { modelConfigSchema } from './external-trainer.schema.js';
import { deployConfigSchema } from './deploy-config.schema.js';
import { llmConfigSchema } from './llm.schema.js';
import { alertsConfigSchema } from './alert-rules.schema.js';
import { alertsReceiverShape } from './alerts-receiver.schema.js';

/** Who may promote a deployment into an environment, and how many of them must agree. */
export const approvalPolicySchema = z.object({
  /** Approvals a promotion needs; 0 promotes as soon as the smoke test passes. */
  required: z.number().int().min(0).max(10),
  /**
   * Roles (from rbac.roles) whose members may approve.
   * @defaultValue `["deployer", "admin"]`
   */
  roles: z.array(z.string()).default(['deployer', 'admin']),
  /** Further people who may approve, as identity keys (`slack:T123:U456`). */
  users: z.array(z.string()).default([]),
  /**
   * May the person who asked for the deploy approve it themselves?
   * @defaultValue `false`
   */
  allowSelfApproval: z.boolean().default(false),
  /**
   * Minutes an approval request waits; then it expires and the idle colour is stopped.
   * @defaultValue `60`
   */
  expiryMinutes: z.number().min(0.05).max(10080).default(60),
});

/** A deployment environment; promotions into a `protected` one wait for two approvers unless `approval` says otherwise. */
export const environmentSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'environment names are lowercase letters, digits and "-"'),
  aliases: z.array(z.string().min(1)).default([]),
  protected: z.boolean().default(false),
  /**
   * Who must approve a promotion here; absent means none for an unprotected environment and two for a protected one.
   */
  approval: approvalPolicySchema.optional(),
  /** Replica bounds `scale` keeps to here (the autoscaler's minimum too); absent means 0 (3 for a protected environment) to limits.maxReplicas. */
  minReplicas: z.number().int().min(0).max(1000).optional(),
  maxReplicas: z.number().int().min(1).max(1000).optional(),
  /** Replicas a first deployment here starts with; absent means minReplicas. */
  replicas: z.number().int().min(1).max(1000).optional(),
});

export const roleSchema = z.object({
  /** Actions this role may run; "*" means all. */
  actions: z.array(z.string()).min(1),
  /** Environments the role may act on (deploy, rollback, scale); absent means all. */
  environments: z.array(z.string()).optional(),
});

/** Hosts whose traffic never leaves the machine: only these may be reached over plain http://. */
const LOOPBACK_HOSTNAME = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

const PUBLIC_URL_RULE = 'must be the https:// address opsbot is reached at from outside, such as https://opsbot.example.com (http:// only for localhost), without ?query or #fragment';

/** Paths are appended to it, so a query or fragment would end up in the wrong place. */
function isPublicUrl(value: string): boolean {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url?.hostname || url.search || url.hash) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTNAME.test(url.hostname));
}

export const configSchema = z.object({
  /**
   * Where SQLite, model artifacts and datasets written by opsbot live.
   * @defaultValue `.opsbot`
   */
  dataDir: z.string().min(1),
  /** Postgres for state shared by processes on several machines; absent means SQLite in dataDir. */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'OPSBOT_DATABASE_URL must be a postgres:// connection string')
    .optional(),
  /**
   * The Postgres schema opsbot's tables live in.
   * @defaultValue `opsbot`
   */
  databaseSchema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'use lowercase letters, digits and "_" (a Postgres identifier)'),
  /** Set to run distributed on BullMQ; absent means the in-process queue. */
  redisUrl: z.string().url().optional(),
  queuePrefix: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'use letters, digits, "_" or "-" (at most 40)'),
  environments: z.array(environmentSchema).min(1, 'configure at least one environment'),
  limits: z.object({
    maxReplicas: z.number().int().min(1).max(1000),
    maxEpochs: z.number().int().min(1).max(100000),
    maxGpus: z.number().int().min(0).max(64),
  }),
  rbac: z.object({
    /**
     * Roles of a local user (the terminal chat, the playground) not listed in `users`: the person at this machine.
     * @defaultValue `["admin"]`
     */
    defaultRoles: z.array(z.string()),
    /**
     * Roles of a Slack or Teams user not listed in `users`: anyone in the workspace can message the bot, so read-only.
     * @defaultValue `["viewer"]`
     */
    chatDefaultRoles: z.array(z.string()).default(['viewer']),
    roles: z.record(z.string(), roleSchema),
    /** `platform:user` or `platform:workspace:user` → role names. */
    users: z.record(z.string(), z.array(z.string())),
  }),
  audit: z.object({ retentionDays: z.number().int().min(1).max(36500) }),
  /** Alert rules in the seed's format (also OPSBOT_ALERT_RULES, a file of them); see monitoring/. The Alertmanager receiver's settings too (alerts-receiver.schema.ts). */
  alerts: alertsConfigSchema.extend(alertsReceiverShape).optional(),
  /** What model files are kept: the newest versions per model (never a deployed one) and files of finished jobs that no version uses. */
  retention: z
    .object({
      /**
       * Versions kept per model after each new one and by `prune` without --keep; deployed versions are kept besides.
       * @defaultValue `10`
       */
      keepVersions: z.number().int().min(1).max(10000),
      /**
       * Files under the data directory that no version uses (a cancelled tune's trials, a failed export) are removed once
       * their job has finished and they are this many minutes old.
       * @defaultValue `60`
       */
      orphanMinutes: z.number().int().min(0).max(525600),
    })
    .default({ keepVersions: 10, orphanMinutes: 60 }),
  jobs: z.object({
    attempts: z.number().int().min(1).max(20),
    backoffMs: z.number().int().min(0).max(3_600_000),
    concurrency: z.number().int().min(1).max(256),
    /** How long a worker's lock on a job lasts; a killed worker's job is taken over after it. */
    lockDurationMs: z.number().int().min(500).max(3_600_000),
    stalledIntervalMs: z.number().int().min(500).max(3_600_000),
  }),
  /** Where models are served and how blue-green promotions behave. */
  deploy: deployConfigSchema,
  /** Per-model settings, e.g. an external trainer command; models not named here use the built-in trainer. */
  models: z
    .record(z.string(), modelConfigSchema)
    .superRefine((models, context) => {
      for (const name of Object.keys(models)) {
        if (!MODEL_NAME_PATTERN.test(name)) context.addIssue({ code: 'custom', path: [name], message: `"${name}": ${MODEL_NAME_RULE}` });
      }
    })
    .optional(),
  /** An LLM asked about sentences opsbot's own intent model is unsure of (OPSBOT_LLM…); absent: none, and nothing needs one. */
  llm: llmConfigSchema.optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  /** The one HTTP server: Slack events, Teams messages and the browser playground. */
  http: z.object({
    port: z.number().int().min(0).max(65535),
    host: z.string().min(1),
    /**
     * The address this server is reached at from outside (a proxy or load balancer in front of it).
     * Teams fetches chart images from here; absent means charts too large for a Teams message are left out.
     */
    publicUrl: z.string().refine(isPublicUrl, PUBLIC_URL_RULE).optional(),
  }),
  /** Who may scrape /metrics (the bot's, and a worker's own listener); absent: loopback only, worker listener off. */
  metrics: z
    .object({
      /** With it, every scrape needs `Authorization: Bearer <token>`; without it, /metrics answers loopback only. */
      token: z.string().min(32, 'OPSBOT_METRICS_TOKEN must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
      /** `opsbot worker`'s metrics listener; absent or 0: off. */
      workerPort: z.number().int().min(0).max(65535).optional(),
      /** @defaultValue `127.0.0.1` */
      workerHost: z.string().min(1).optional(),
    })
    .optional(),
  /** The browser playground on the HTTP server; it acts as the local user, so it is loopback-only unless `remote`. */
  playground: z.object({
    enabled: z.boolean(),
    /**
     * Serve the playground to other machines (with a non-loopback `http.host`); every request then needs the access token.
     * @defaultValue `false`
     */
    remote: z.boolean().default(false),
    /** The access token; absent means one is generated at each start and printed. */
    token: z.string().min(32, 'OPSBOT_PLAYGROUND_TOKEN must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  }),
  /** Present when opsbot should serve a Slack app. */
  slack: z
    .object({
      /** Verifies HTTP requests; not needed in Socket Mode. */
      signingSecret: z.string().min(1).optional(),
      botToken: z.string().regex(/^xoxb-/, 'SLACK_BOT_TOKEN must be a bot token starting with xoxb-'),
      /** Socket Mode instead of HTTP when set. */
      appToken: z.string().regex(/^xapp-/, 'SLACK_APP_TOKEN must be an app-level token starting with xapp-').optional(),
      /** Where the Web API lives; tests point it at a local fake. */
      apiUrl: z.string().url().optional(),
    })
    .optional(),
  /** Present when opsbot should serve a Microsoft Teams bot on /api/messages. */
  teams: z
    .object({
      appId: z.string(),
      appPassword: z.string().optional(),
      tenantId: z.string().optional(),
      appType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']),
      /** Local Bot Framework Emulator mode: no auth, loopback only. */
      emulator: z.boolean(),
      /** Where Bot Framework's OpenID metadata is read from; tests serve their own. */
      openIdMetadataUrl: z.string().url().optional(),
      /**
       * The Bot Connector address for posting in a conversation opsbot has not heard from since it started (an alert
       * thread after a restart): `https://smba.trafficmanager.net/teams/` in Microsoft's public cloud. Absent: opsbot
       * posts only where a message taught it the conversation's own. Also OPSBOT_TEAMS_SERVICE_URL.
       */
      serviceUrl: z.url({ protocol: /^https?$/, error: 'teams.serviceUrl must be an http(s) URL such as https://smba.trafficmanager.net/teams/' }).optional(),
    })
    .optional(),
});

export type OpsbotConfig = z.infer<typeof configSchema>;
export type EnvironmentConfig = z.infer<typeof environmentSchema>;
export type RoleConfig = z.infer<typeof roleSchema>;
export type ApprovalPolicy = z.infer<typeof approvalPolicySchema>;
