import type { OpsbotConfig } from './config.schema.js';

/** Built-in roles; a config file may add more or redefine these. */
export const DEFAULT_ROLES: OpsbotConfig['rbac']['roles'] = {
  viewer: { actions: ['help', 'status', 'audit', 'curve'] },
  trainer: { actions: ['help', 'status', 'audit', 'curve', 'train', 'tune', 'evaluate', 'quantize', 'cancel'] },
  deployer: {
    actions: ['help', 'status', 'audit', 'curve', 'train', 'tune', 'evaluate', 'quantize', 'cancel', 'deploy', 'rollback', 'scale', 'delete', 'prune', 'alerts'],
  },
  admin: { actions: ['*'] },
};

export function defaultConfig(): OpsbotConfig {
  return {
    dataDir: '.opsbot',
    queuePrefix: 'opsbot',
    databaseSchema: 'opsbot',
    environments: [
      { name: 'dev', aliases: ['development'], protected: false },
      { name: 'staging', aliases: ['stage', 'stg'], protected: false },
      { name: 'prod', aliases: ['production', 'prd'], protected: true },
    ],
    limits: { maxReplicas: 50, maxEpochs: 1000, maxGpus: 8 },
    rbac: { defaultRoles: ['admin'], chatDefaultRoles: ['viewer'], roles: { ...DEFAULT_ROLES }, users: {} },
    audit: { retentionDays: 180 },
    retention: { keepVersions: 10, orphanMinutes: 60 },
    jobs: { attempts: 3, backoffMs: 1000, concurrency: 2, lockDurationMs: 30_000, stalledIntervalMs: 30_000 },
    deploy: { target: 'local', warmMinutes: 10, rolloutTimeoutMinutes: 10, local: { basePort: 18700 } },
    logLevel: 'info',
    http: { port: 3000, host: '127.0.0.1' },
    playground: { enabled: true, remote: false },
  };
}
