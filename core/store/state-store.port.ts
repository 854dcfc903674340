import type { AuditLog } from '../audit/audit-log.port.js';
import type { AlertGroupStore } from '../alerts/alert-group.js';
import type { RuleAlertStore } from '../alerts/rule-alert.js';
import type { BlueGreenStore } from './blue-green-store.port.js';
import type { DeploymentStore } from './deployment-store.port.js';
import type { JobStore } from './job-store.port.js';
import type { ModelRegistry } from './model-registry.port.js';

/** Everything opsbot persists, behind one port: SQLite embedded, Postgres when processes share state. */
export interface StateStore {
  readonly registry: ModelRegistry;
  readonly jobs: JobStore;
  readonly deployments: DeploymentStore;
  readonly blueGreen: BlueGreenStore;
  readonly audit: AuditLog;
  /** Alert groups and their triage threads. */
  readonly alertGroups: AlertGroupStore;
  /** Alerts the embedded rule evaluator has fired. */
  readonly ruleAlerts: RuleAlertStore;
  /** One trivial round trip to the database, for readiness; rejects when it cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
