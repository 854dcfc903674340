import type Database from 'better-sqlite3';
import { GENESIS_HASH } from '../../core/index.js';
import { TERMINAL_JOB_STATUSES } from '../../core/index.js';

const JOB_STATUSES = ['queued', 'active', ...TERMINAL_JOB_STATUSES].map((s) => `'${s}'`).join(', ');

/**
 * Migrations in order; the schema version (PRAGMA user_version) is how many have run.
 * Never edit one that has shipped: append a new one instead.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE model_versions (
    model TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    job_id TEXT NOT NULL UNIQUE,
    dataset TEXT NOT NULL,
    dataset_hash TEXT NOT NULL,
    metrics TEXT NOT NULL,
    params TEXT NOT NULL,
    artifact_path TEXT NOT NULL,
    conversation TEXT,
    PRIMARY KEY (model, version)
  ) STRICT;

  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    args TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN (${JOB_STATUSES})),
    requested_by TEXT NOT NULL,
    conversation TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    worker_id TEXT,
    progress TEXT,
    result TEXT,
    error TEXT,
    reply_ref TEXT
  ) STRICT;
  CREATE INDEX jobs_by_created ON jobs (created_at);
  CREATE INDEX jobs_by_status ON jobs (status, created_at);

  CREATE TABLE deployment_revisions (
    model TEXT NOT NULL,
    env TEXT NOT NULL,
    revision INTEGER NOT NULL,
    version INTEGER NOT NULL,
    replicas INTEGER,
    min_replicas INTEGER,
    max_replicas INTEGER,
    change TEXT NOT NULL,
    job_id TEXT NOT NULL UNIQUE,
    requested_by TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (model, env, revision)
  ) STRICT;
  -- Revisions are history: a bug that edits or deletes one fails loudly instead of rewriting it.
  CREATE TRIGGER deployment_revisions_no_update BEFORE UPDATE ON deployment_revisions
    BEGIN SELECT RAISE(ABORT, 'deployment revisions are append-only'); END;
  CREATE TRIGGER deployment_revisions_no_delete BEFORE DELETE ON deployment_revisions
    BEGIN SELECT RAISE(ABORT, 'deployment revisions are append-only'); END;

  CREATE TABLE audit_records (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    platform TEXT NOT NULL,
    workspace TEXT NOT NULL,
    user_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    channel_id TEXT,
    thread_id TEXT,
    text TEXT,
    action TEXT,
    args TEXT,
    outcome TEXT NOT NULL,
    job_id TEXT,
    attempt INTEGER,
    duration_ms REAL,
    detail TEXT
  ) STRICT;
  -- Pruning and since/until scan by time; a job's trail is looked up by id.
  CREATE INDEX audit_records_by_at ON audit_records (at);
  CREATE INDEX audit_records_by_job ON audit_records (job_id);
  -- Records are never edited (pruning deletes, which the anchor accounts for). The hash chain, not
  -- this trigger, is what catches tampering: anyone holding the file can drop the trigger.
  CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
    BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;

  -- One row each. The head (seq and hash of the newest record) catches deletion at the end of the
  -- log; the anchor (the newest pruned record, or genesis) is what the oldest kept record chains to.
  CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL) STRICT;
  CREATE TABLE audit_anchor (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL) STRICT;
  INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${GENESIS_HASH}');
  INSERT INTO audit_anchor (id, seq, hash) VALUES (1, 0, '${GENESIS_HASH}');
  `,
  `
  -- The numbers of deleted versions, so registration never hands one out again.
  CREATE TABLE deleted_model_versions (
    model TEXT NOT NULL,
    version INTEGER NOT NULL,
    deleted_at TEXT NOT NULL,
    PRIMARY KEY (model, version)
  ) STRICT;
  `,
  `
  -- Blue-green deployments. phase has no CHECK: a phase added later would need a table rebuild in
  -- SQLite, and the port's type already bounds what is written.
  CREATE TABLE blue_green_deployments (
    id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL UNIQUE,
    model TEXT NOT NULL,
    env TEXT NOT NULL,
    version INTEGER NOT NULL,
    colour TEXT NOT NULL CHECK (colour IN ('blue', 'green')),
    previous_version INTEGER,
    phase TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    conversation TEXT NOT NULL,
    approvals_required INTEGER NOT NULL,
    report TEXT NOT NULL,
    card_ref TEXT,
    expires_at TEXT,
    decided_by TEXT,
    reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX blue_green_deployments_by_slot ON blue_green_deployments (model, env, created_at);

  -- One row per person and deployment: a later click replaces the earlier one.
  CREATE TABLE approval_votes (
    deployment_id TEXT NOT NULL REFERENCES blue_green_deployments (id),
    voter TEXT NOT NULL,
    display_name TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
    at TEXT NOT NULL,
    PRIMARY KEY (deployment_id, voter)
  ) STRICT;

  -- The desired serving state per model and environment, restored into the deploy target at start-up.
  CREATE TABLE serving_slots (
    model TEXT NOT NULL,
    env TEXT NOT NULL,
    live TEXT CHECK (live IN ('blue', 'green')),
    colours TEXT NOT NULL,
    idle_warm_until TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (model, env)
  ) STRICT;
  `,
  `
  -- Alert groups (Alertmanager's groupKey) and their triage threads. The group is one JSON document;
  -- revision is what writers compare-and-set on, so concurrent clicks and webhooks end in one state.
  CREATE TABLE alert_groups (
    id TEXT PRIMARY KEY,
    group_key TEXT NOT NULL UNIQUE,
    revision INTEGER NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  `,
  `
  -- Alerts the embedded rule evaluator fired, one per rule, model and environment (key), as one JSON document.
  CREATE TABLE rule_alerts (
    key TEXT PRIMARY KEY,
    revision INTEGER NOT NULL,
    state TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the schema up to date. Runs in an IMMEDIATE transaction that re-reads the version, so
 * processes starting together apply each migration once; a failed migration leaves nothing behind.
 */
export function migrate(db: Database.Database): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) {
      throw new Error(
        `the opsbot database has schema version ${current}, newer than this opsbot understands (${SCHEMA_VERSION}); upgrade opsbot`,
      );
    }
    for (const sql of MIGRATIONS.slice(current)) db.exec(sql);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
