import { escapeIdentifier, type Pool } from 'pg';
import type { Logger, StateStore } from '../../core/index.js';
import { openPool, type PoolTimeouts } from './open-pool.js';
import { PostgresAuditLog } from './postgres-audit-log.js';
import { PostgresBlueGreenStore } from './postgres-blue-green-store.js';
import { PostgresDeploymentStore } from './postgres-deployment-store.js';
import { PostgresJobStore } from './postgres-job-store.js';
import { PostgresModelRegistry } from './postgres-model-registry.js';
import { migrate } from './schema.js';
import { PostgresAlertGroupStore } from './postgres-alert-group-store.js';
import { PostgresRuleAlertStore } from './postgres-rule-alert-store.js';

export const DEFAULT_POSTGRES_SCHEMA = 'opsbot';

export interface PostgresStateStoreOptions {
  /** A postgres:// connection string (OPSBOT_DATABASE_URL). */
  connectionString: string;
  /**
   * The schema holding opsbot's tables, created when absent; separate schemas keep separate opsbots apart.
   * @defaultValue `'opsbot'`
   */
  schema?: string;
  /**
   * The clock for every timestamp the store writes; tests pass a fake one.
   * @defaultValue `() => new Date()`
   */
  now?: () => Date;
  /** Pool errors (a dropped idle connection) are logged here. */
  log?: Logger;
  /** Connection and statement timeouts; see openPool. */
  timeouts?: PoolTimeouts;
}

/** The shared StateStore: every bot and worker process, on any machine, pointing at one database. */
export class PostgresStateStore implements StateStore {
  readonly registry: PostgresModelRegistry;
  readonly jobs: PostgresJobStore;
  readonly deployments: PostgresDeploymentStore;
  readonly blueGreen: PostgresBlueGreenStore;
  readonly alertGroups: PostgresAlertGroupStore;
  readonly ruleAlerts: PostgresRuleAlertStore;
  readonly audit: PostgresAuditLog;
  private closed = false;

  /** Expects a migrated schema; `openPostgresStateStore` migrates. `schema` is the quoted name. */
  constructor(
    private readonly pool: Pool,
    schema: string,
    now: () => Date,
  ) {
    this.registry = new PostgresModelRegistry(pool, schema, now);
    this.jobs = new PostgresJobStore(pool, schema, now);
    this.deployments = new PostgresDeploymentStore(pool, schema, now);
    this.blueGreen = new PostgresBlueGreenStore(pool, schema, now);
    this.audit = new PostgresAuditLog(pool, schema, now);
    this.alertGroups = new PostgresAlertGroupStore(pool, schema, now);
    this.ruleAlerts = new PostgresRuleAlertStore(pool, schema, now);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    // pg rejects ending a pool twice; closing is idempotent like the SQLite store's.
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/** Connects, creates the schema and tables when absent and migrates them, then returns the store. */
export async function openPostgresStateStore(options: PostgresStateStoreOptions): Promise<PostgresStateStore> {
  const schema = escapeIdentifier(options.schema ?? DEFAULT_POSTGRES_SCHEMA);
  const pool = openPool(options.connectionString, { log: options.log, ...options.timeouts });
  try {
    await migrate(pool, schema);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new PostgresStateStore(pool, schema, options.now ?? (() => new Date()));
}
