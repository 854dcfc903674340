import { llmSettingsFromEnv } from './llm.schema.js';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { chatRoleWarnings } from '../rbac/chat-role-warning.js';
import { closestMatch } from '../text/closest-match.js';
import { configSchema, type OpsbotConfig } from './config.schema.js';
import { mergeAlertRulesFile } from './alert-rules.schema.js';
import { defaultConfig } from './default-config.js';

type Env = Record<string, string | undefined>;

/** Environment variables opsbot reads, each mapped onto the config tree. */
const ENV_VARIABLES: Record<string, { path: string[]; kind: 'string' | 'int' | 'bool'; help: string }> = {
  OPSBOT_DATA_DIR: { path: ['dataDir'], kind: 'string', help: 'a directory path' },
  REDIS_URL: { path: ['redisUrl'], kind: 'string', help: 'a URL such as redis://127.0.0.1:6379' },
  OPSBOT_DATABASE_URL: { path: ['databaseUrl'], kind: 'string', help: 'a postgres:// connection string' },
  OPSBOT_DATABASE_SCHEMA: { path: ['databaseSchema'], kind: 'string', help: 'a Postgres schema name' },
  OPSBOT_QUEUE_PREFIX: { path: ['queuePrefix'], kind: 'string', help: 'letters, digits, "_" or "-"' },
  OPSBOT_MAX_REPLICAS: { path: ['limits', 'maxReplicas'], kind: 'int', help: 'a whole number, 1 to 1000' },
  OPSBOT_AUDIT_RETENTION_DAYS: { path: ['audit', 'retentionDays'], kind: 'int', help: 'a whole number of days' },
  OPSBOT_KEEP_VERSIONS: { path: ['retention', 'keepVersions'], kind: 'int', help: 'a whole number of versions per model, at least 1' },
  OPSBOT_ORPHAN_MINUTES: { path: ['retention', 'orphanMinutes'], kind: 'int', help: 'minutes' },
  OPSBOT_JOB_ATTEMPTS: { path: ['jobs', 'attempts'], kind: 'int', help: 'a whole number, 1 to 20' },
  OPSBOT_JOB_BACKOFF_MS: { path: ['jobs', 'backoffMs'], kind: 'int', help: 'milliseconds' },
  OPSBOT_WORKER_CONCURRENCY: { path: ['jobs', 'concurrency'], kind: 'int', help: 'a whole number, 1 to 256' },
  OPSBOT_LOCK_DURATION_MS: { path: ['jobs', 'lockDurationMs'], kind: 'int', help: 'milliseconds, at least 500' },
  OPSBOT_STALLED_INTERVAL_MS: { path: ['jobs', 'stalledIntervalMs'], kind: 'int', help: 'milliseconds, at least 500' },
  OPSBOT_LOG_LEVEL: { path: ['logLevel'], kind: 'string', help: 'fatal, error, warn, info, debug, trace or silent' },
  PORT: { path: ['http', 'port'], kind: 'int', help: 'a port number, 0 to 65535' },
  OPSBOT_HOST: { path: ['http', 'host'], kind: 'string', help: 'an interface address such as 127.0.0.1 or 0.0.0.0' },
  OPSBOT_PUBLIC_URL: { path: ['http', 'publicUrl'], kind: 'string', help: 'the https:// address opsbot is reached at from outside' },
  OPSBOT_PLAYGROUND: { path: ['playground', 'enabled'], kind: 'bool', help: 'true or false' },
  OPSBOT_PLAYGROUND_REMOTE: { path: ['playground', 'remote'], kind: 'bool', help: 'true to serve the playground off loopback, behind its access token' },
  OPSBOT_PLAYGROUND_TOKEN: { path: ['playground', 'token'], kind: 'string', help: 'a secret of at least 32 characters' },
  SLACK_SIGNING_SECRET: { path: ['slack', 'signingSecret'], kind: 'string', help: 'the signing secret of the Slack app' },
  SLACK_BOT_TOKEN: { path: ['slack', 'botToken'], kind: 'string', help: 'a bot token (xoxb-...)' },
  SLACK_APP_TOKEN: { path: ['slack', 'appToken'], kind: 'string', help: 'an app-level token (xapp-...) for Socket Mode' },
  SLACK_API_URL: { path: ['slack', 'apiUrl'], kind: 'string', help: 'a URL ending in /api/' },
  MICROSOFT_APP_ID: { path: ['teams', 'appId'], kind: 'string', help: 'the bot registration app id' },
  MICROSOFT_APP_PASSWORD: { path: ['teams', 'appPassword'], kind: 'string', help: 'the bot registration client secret' },
  MICROSOFT_APP_TENANT_ID: { path: ['teams', 'tenantId'], kind: 'string', help: 'the tenant id (SingleTenant apps)' },
  MICROSOFT_APP_TYPE: { path: ['teams', 'appType'], kind: 'string', help: 'MultiTenant, SingleTenant or UserAssignedMSI' },
  OPSBOT_TEAMS_EMULATOR: { path: ['teams', 'emulator'], kind: 'bool', help: 'true to serve Teams without auth on loopback, for the Bot Framework Emulator' },
  OPSBOT_TEAMS_SERVICE_URL: { path: ['teams', 'serviceUrl'], kind: 'string', help: 'the Bot Connector URL for proactive posts, such as https://smba.trafficmanager.net/teams/' },
  OPSBOT_TEAMS_OPENID_METADATA_URL: { path: ['teams', 'openIdMetadataUrl'], kind: 'string', help: 'a URL of OpenID metadata' },
  OPSBOT_METRICS_TOKEN: { path: ['metrics', 'token'], kind: 'string', help: 'a secret of at least 32 characters' },
  OPSBOT_WORKER_METRICS_PORT: { path: ['metrics', 'workerPort'], kind: 'int', help: 'a port number, 1 to 65535, or 0 for off' },
  OPSBOT_WORKER_METRICS_HOST: { path: ['metrics', 'workerHost'], kind: 'string', help: 'an interface address such as 127.0.0.1' },
  OPSBOT_ALERTMANAGER_TOKEN: { path: ['alerts', 'receiverToken'], kind: 'string', help: 'a secret of at least 32 characters' },
  OPSBOT_ALERT_EVALUATOR: { path: ['alerts', 'evaluator'], kind: 'string', help: 'embedded or prometheus' },
  OPSBOT_ALERTMANAGER_URL: { path: ['alerts', 'alertmanagerUrl'], kind: 'string', help: 'Alertmanager\'s URL such as http://127.0.0.1:9093' },
  OPSBOT_DEPLOY_TARGET: { path: ['deploy', 'target'], kind: 'string', help: 'local or kubernetes' },
  OPSBOT_ARTIFACT_TOKEN: { path: ['deploy', 'artifactToken'], kind: 'string', help: 'a secret of at least 32 characters' },
};
/** Defaults of optional sections, applied only when one of their variables is set. */
const SECTION_DEFAULTS: Record<string, Record<string, unknown>> = {
  teams: { appId: '', appType: 'MultiTenant', emulator: false },
};
/** Read by the entry points themselves, listed so that typos of them are caught. */
const LLM_VARIABLES = ['OPSBOT_LLM', 'OPSBOT_LLM_MODEL', 'OPSBOT_LLM_API_KEY', 'OPSBOT_LLM_BASE_URL', 'OPSBOT_LLM_TIMEOUT_MS'];
const OTHER_KNOWN_VARIABLES = ['OPSBOT_CONFIG', 'OPSBOT_USER', 'OPSBOT_WORKER_ID', 'OPSBOT_GPUS', 'OPSBOT_ALERT_RULES'];

export interface LoadedConfig {
  config: OpsbotConfig;
  /** Problems that do not stop start-up (an unknown OPSBOT_ variable, say). */
  warnings: string[];
  /** The config file that was read, if any. */
  file?: string;
}

/**
 * Builds the config in layers — defaults, then `opsbot.config.json` (or OPSBOT_CONFIG),
 * then environment variables — and validates it once, naming every wrong value.
 */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): LoadedConfig {
  const problems: string[] = [];
  const warnings: string[] = [];
  const merged: Record<string, unknown> = structuredClone(defaultConfig()) as unknown as Record<string, unknown>;

  const explicitFile = env.OPSBOT_CONFIG;
  const file = resolve(cwd, explicitFile ?? 'opsbot.config.json');
  let fileRead: string | undefined;
  if (existsSync(file)) {
    fileRead = file;
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        problems.push(`${file}: must hold a JSON object`);
      } else {
        deepMerge(merged, parsed as Record<string, unknown>);
      }
    } catch (error) {
      problems.push(`${file}: is not valid JSON (${(error as Error).message})`);
    }
  } else if (explicitFile) {
    problems.push(`OPSBOT_CONFIG: no file at ${file}; fix the path or unset OPSBOT_CONFIG`);
  }

  for (const [name, spec] of Object.entries(ENV_VARIABLES)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const section = spec.path.length > 1 ? (spec.path[0] as string) : undefined;
    if (section && SECTION_DEFAULTS[section] && merged[section] === undefined) merged[section] = { ...SECTION_DEFAULTS[section] };
    if (spec.kind === 'bool') {
      const value = raw.trim().toLowerCase();
      if (!['true', 'false', '1', '0', 'yes', 'no'].includes(value)) {
        problems.push(`${name}="${raw}" is not valid: expected ${spec.help}`);
        continue;
      }
      setPath(merged, spec.path, ['true', '1', 'yes'].includes(value));
    } else if (spec.kind === 'int') {
      if (!/^\d+$/.test(raw.trim())) {
        problems.push(`${name}="${raw}" is not valid: expected ${spec.help}`);
        continue;
      }
      setPath(merged, spec.path, Number(raw.trim()));
    } else {
      setPath(merged, spec.path, raw.trim());
    }
  }
  if (env.OPSBOT_ALERT_RULES) mergeAlertRulesFile(merged, resolve(cwd, env.OPSBOT_ALERT_RULES), problems);
  const llm = llmSettingsFromEnv(env);
  if (llm) merged.llm = { ...(merged.llm as Record<string, unknown> | undefined), ...llm };
  const known = [...Object.keys(ENV_VARIABLES), ...OTHER_KNOWN_VARIABLES, ...LLM_VARIABLES];
  for (const name of Object.keys(env)) {
    if (!name.startsWith('OPSBOT_') || known.includes(name)) continue;
    const guess = closestMatch(name, known);
    warnings.push(`unknown environment variable ${name} is ignored${guess ? ` — did you mean ${guess}?` : ''}`);
  }

  const result = configSchema.safeParse(merged);
  if (!result.success) {
    problems.push(...result.error.issues.map((issue) => describeIssue(issue, fileRead)));
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);

  problems.push(...crossCheck(result.data));
  if (problems.length > 0) throw new ConfigError(problems);
  warnings.push(...chatRoleWarnings(result.data));
  return { config: result.data, warnings, file: fileRead };
}

function crossCheck(config: OpsbotConfig): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const env of config.environments) {
    for (const word of [env.name, ...env.aliases]) {
      if (names.has(word)) problems.push(`environments: "${word}" is used by two environments; names and aliases must be unique`);
      names.add(word);
    }
  }
  if (config.teams && !config.teams.appId && !config.teams.emulator) {
    problems.push(
      'MICROSOFT_APP_ID: the Teams endpoint needs an app id, because Bot Framework skips authentication entirely without one. Set MICROSOFT_APP_ID (and MICROSOFT_APP_PASSWORD), or OPSBOT_TEAMS_EMULATOR=true for the local emulator on loopback',
    );
  }
  if (config.teams?.emulator && !['127.0.0.1', 'localhost', '::1'].includes(config.http.host)) {
    problems.push(`OPSBOT_HOST: Teams emulator mode has no authentication, so it only listens on loopback; OPSBOT_HOST is ${config.http.host}`);
  }
  if (config.slack && !config.slack.appToken && !config.slack.signingSecret) {
    problems.push(
      'SLACK_SIGNING_SECRET: the Slack app needs its signing secret to verify HTTP requests (Basic Information → App Credentials), or SLACK_APP_TOKEN for Socket Mode',
    );
  }
  if (config.teams?.appType === 'SingleTenant' && !config.teams.tenantId) {
    problems.push('MICROSOFT_APP_TENANT_ID: a SingleTenant Teams app needs its tenant id');
  }
  const roles = Object.keys(config.rbac.roles);
  for (const [user, userRoles] of Object.entries(config.rbac.users)) {
    for (const role of userRoles) {
      if (!roles.includes(role)) problems.push(`rbac.users["${user}"]: unknown role "${role}"; defined roles are ${roles.join(', ')}`);
    }
  }
  for (const key of ['defaultRoles', 'chatDefaultRoles'] as const) {
    for (const role of config.rbac[key]) {
      if (!roles.includes(role)) problems.push(`rbac.${key}: unknown role "${role}"; defined roles are ${roles.join(', ')}`);
    }
  }
  return problems;
}

function describeIssue(issue: z.core.$ZodIssue, file: string | undefined): string {
  const path = issue.path.join('.');
  const envName = Object.entries(ENV_VARIABLES).find(([, spec]) => spec.path.join('.') === path)?.[0];
  const where = envName ? `${path} (${envName}${file ? ` or ${file}` : ''})` : path || '(root)';
  return `${where}: ${issue.message}`;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isPlainObject(value) && isPlainObject(existing) && key !== 'users') {
      deepMerge(existing, value);
    } else {
      target[key] = value;
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
