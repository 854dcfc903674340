import type Database from 'better-sqlite3';
import type { StateStore } from '../../core/index.js';
import { openDatabase } from './open-database.js';
import { SqliteAlertGroupStore } from './sqlite-alert-group-store.js';
import { SqliteRuleAlertStore } from './sqlite-rule-alert-store.js';
import { migrate } from './schema.js';
import { SqliteAuditLog } from './sqlite-audit-log.js';
import { SqliteBlueGreenStore } from './sqlite-blue-green-store.js';
import { SqliteDeploymentStore } from './sqlite-deployment-store.js';
import { SqliteJobStore } from './sqlite-job-store.js';
import { SqliteModelRegistry } from './sqlite-model-registry.js';

export interface SqliteStateStoreOptions {
  /**
   * The clock for every timestamp the store writes; tests pass a fake one.
   * @defaultValue `() => new Date()`
   */
  now?: () => Date;
}

/**
 * The embedded StateStore: one SQLite file, one connection per process. The methods are async
 * only to match the ports (a Postgres store implements the same ones); the work is synchronous.
 */
export class SqliteStateStore implements StateStore {
  readonly registry: SqliteModelRegistry;
  readonly jobs: SqliteJobStore;
  readonly deployments: SqliteDeploymentStore;
  readonly blueGreen: SqliteBlueGreenStore;
  readonly alertGroups: SqliteAlertGroupStore;
  readonly ruleAlerts: SqliteRuleAlertStore;
  readonly audit: SqliteAuditLog;

  constructor(
    private readonly db: Database.Database,
    options: SqliteStateStoreOptions = {},
  ) {
    const now = options.now ?? (() => new Date());
    migrate(db);
    this.registry = new SqliteModelRegistry(db, now);
    this.jobs = new SqliteJobStore(db, now);
    this.deployments = new SqliteDeploymentStore(db, now);
    this.blueGreen = new SqliteBlueGreenStore(db, now);
    this.audit = new SqliteAuditLog(db, now);
    this.alertGroups = new SqliteAlertGroupStore(db, now);
    this.ruleAlerts = new SqliteRuleAlertStore(db, now);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Opens (creating it and its directory when absent) and migrates the store at `path`; ':memory:' for a private one. */
export function openSqliteStateStore(path: string, options?: SqliteStateStoreOptions): SqliteStateStore {
  const db = openDatabase(path);
  try {
    return new SqliteStateStore(db, options);
  } catch (error) {
    db.close();
    throw error;
  }
}
