import type { Pool } from 'pg';
import { GENESIS_HASH } from '../../core/index.js';
import { TERMINAL_JOB_STATUSES } from '../../core/index.js';
import { inTransaction } from './transaction.js';

const JOB_STATUSES = ['queued', 'active', ...TERMINAL_JOB_STATUSES].map((s) => `'${s}'`).join(', ');

/**
 * Migrations in order, each given the quoted schema name; the schema version is how many have run
 * (rows of schema_migrations). Never edit one that has shipped: append a new one instead.
 * JSON columns are `json`, not `jsonb`: it keeps the text as written, so key order (metrics shown
 * in chat, result details) reads back as it does from SQLite.
 */
export const MIGRATIONS: ReadonlyArray<(schema: string) => string> = [
  (s) => `
  CREATE TABLE ${s}.model_versions (
    model text NOT NULL,
    version integer NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    job_id text NOT NULL UNIQUE,
    dataset text NOT NULL,
    dataset_hash text NOT NULL,
    metrics json NOT NULL,
    params json NOT NULL,
    artifact_path text NOT NULL,
    conversation json,
    PRIMARY KEY (model, version)
  );

  CREATE TABLE ${s}.jobs (
    id text PRIMARY KEY,
    -- Breaks ties between jobs created in the same millisecond, keeping newest first stable.
    position bigint GENERATED ALWAYS AS IDENTITY,
    kind text NOT NULL,
    args json NOT NULL,
    status text NOT NULL CHECK (status IN (${JOB_STATUSES})),
    requested_by json NOT NULL,
    conversation json NOT NULL,
    text text NOT NULL,
    created_at timestamptz NOT NULL,
    started_at timestamptz,
    finished_at timestamptz,
    attempts integer NOT NULL DEFAULT 0,
    worker_id text,
    progress json,
    result json,
    error text,
    reply_ref text
  );
  CREATE INDEX jobs_by_created ON ${s}.jobs (created_at, position);
  CREATE INDEX jobs_by_status ON ${s}.jobs (status, created_at, position);

  -- Raises the message given to the trigger: history tables fail loudly instead of being rewritten.
  CREATE FUNCTION ${s}.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END
  $$;

  CREATE TABLE ${s}.deployment_revisions (
    model text NOT NULL,
    env text NOT NULL,
    revision integer NOT NULL,
    version integer NOT NULL,
    replicas integer,
    min_replicas integer,
    max_replicas integer,
    change text NOT NULL,
    job_id text NOT NULL UNIQUE,
    requested_by text NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (model, env, revision)
  );
  CREATE TRIGGER deployment_revisions_append_only BEFORE UPDATE OR DELETE ON ${s}.deployment_revisions
    FOR EACH ROW EXECUTE FUNCTION ${s}.refuse_change('deployment revisions are append-only');

  CREATE TABLE ${s}.audit_records (
    seq bigint PRIMARY KEY,
    -- The exact string that was hashed; at_time is the same instant, for since/until and pruning.
    at text NOT NULL,
    at_time timestamptz NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    platform text NOT NULL,
    workspace text NOT NULL,
    user_id text NOT NULL,
    user_name text NOT NULL,
    channel_id text,
    thread_id text,
    text text,
    action text,
    args json,
    outcome text NOT NULL,
    job_id text,
    attempt integer,
    duration_ms double precision,
    detail text
  );
  CREATE INDEX audit_records_by_at ON ${s}.audit_records (at_time);
  CREATE INDEX audit_records_by_job ON ${s}.audit_records (job_id);
  -- Records are never edited (pruning deletes, which the anchor accounts for). The hash chain, not
  -- this trigger, is what catches tampering: anyone who owns the tables can drop the trigger.
  CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON ${s}.audit_records
    FOR EACH ROW EXECUTE FUNCTION ${s}.refuse_change('audit records are append-only');

  -- One row each. The head (seq and hash of the newest record) catches deletion at the end of the
  -- log and is the row appends lock to stay linear; the anchor (the newest pruned record, or
  -- genesis) is what the oldest kept record chains to.
  CREATE TABLE ${s}.audit_head (id integer PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL, hash text NOT NULL);
  CREATE TABLE ${s}.audit_anchor (id integer PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL, hash text NOT NULL);
  INSERT INTO ${s}.audit_head (id, seq, hash) VALUES (1, 0, '${GENESIS_HASH}');
  INSERT INTO ${s}.audit_anchor (id, seq, hash) VALUES (1, 0, '${GENESIS_HASH}');
  `,
  (s) => `
  -- The numbers of deleted versions, so registration never hands one out again.
  CREATE TABLE ${s}.deleted_model_versions (
    model text NOT NULL,
    version integer NOT NULL,
    deleted_at timestamptz NOT NULL,
    PRIMARY KEY (model, version)
  );
  `,
  (s) => `
  -- Blue-green deployments. phase has no CHECK, as in SQLite (where adding a phase would need a
  -- table rebuild): the port's type already bounds what is written.
  CREATE TABLE ${s}.blue_green_deployments (
    id text PRIMARY KEY,
    -- Breaks ties between deployments created in the same millisecond, keeping newest first stable.
    position bigint GENERATED ALWAYS AS IDENTITY,
    job_id text NOT NULL UNIQUE,
    model text NOT NULL,
    env text NOT NULL,
    version integer NOT NULL,
    colour text NOT NULL CHECK (colour IN ('blue', 'green')),
    previous_version integer,
    phase text NOT NULL,
    requested_by json NOT NULL,
    conversation json NOT NULL,
    approvals_required integer NOT NULL,
    report json NOT NULL,
    card_ref text,
    expires_at timestamptz,
    decided_by text,
    reason text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
  );
  CREATE INDEX blue_green_deployments_by_slot ON ${s}.blue_green_deployments (model, env, created_at, position);

  -- One row per person and deployment: a later click replaces the earlier one.
  CREATE TABLE ${s}.approval_votes (
    deployment_id text NOT NULL REFERENCES ${s}.blue_green_deployments (id),
    voter text NOT NULL,
    display_name text NOT NULL,
    decision text NOT NULL CHECK (decision IN ('approve', 'reject')),
    at timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, voter)
  );

  -- The desired serving state per model and environment, restored into the deploy target at start-up.
  CREATE TABLE ${s}.serving_slots (
    model text NOT NULL,
    env text NOT NULL,
    live text CHECK (live IN ('blue', 'green')),
    colours json NOT NULL,
    idle_warm_until timestamptz,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (model, env)
  );
  `,
  (s) => `
  -- Alert groups (Alertmanager's groupKey) and their triage threads. The group is one JSON document;
  -- revision is what writers compare-and-set on, so concurrent clicks and webhooks end in one state.
  CREATE TABLE ${s}.alert_groups (
    id text PRIMARY KEY,
    group_key text NOT NULL UNIQUE,
    revision integer NOT NULL,
    state json NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
  );
  `,
  (s) => `
  -- Alerts the embedded rule evaluator fired, one per rule, model and environment (key), as one JSON document.
  CREATE TABLE ${s}.rule_alerts (
    key text PRIMARY KEY,
    revision integer NOT NULL,
    state json NOT NULL,
    updated_at timestamptz NOT NULL
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the schema up to date in one transaction under an advisory lock keyed by the schema, so
 * processes starting together apply each migration once (the others wait, then find nothing to
 * do); a failed migration leaves nothing behind. `schema` is the quoted name.
 */
export async function migrate(pool: Pool, schema: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`opsbot migrate ${schema}`]);
    // Look before creating: CREATE ... IF NOT EXISTS needs the CREATE privilege even when there is
    // nothing to create, and a role that only reads and writes rows must still open an up-to-date schema.
    const exists = async (lookup: 'to_regnamespace' | 'to_regclass', name: string) =>
      (await client.query<{ found: string | null }>(`SELECT ${lookup}($1)::text AS found`, [name])).rows[0]?.found != null;
    if (!(await exists('to_regnamespace', schema))) await client.query(`CREATE SCHEMA ${schema}`);
    if (!(await exists('to_regclass', `${schema}.schema_migrations`))) {
      await client.query(`CREATE TABLE ${schema}.schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    }
    const { rows } = await client.query<{ current: number }>(
      `SELECT COALESCE(MAX(version), 0) AS current FROM ${schema}.schema_migrations`,
    );
    const current = rows[0]?.current ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new Error(
        `the opsbot schema ${schema} has version ${current}, newer than this opsbot understands (${SCHEMA_VERSION}); upgrade opsbot`,
      );
    }
    for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
      await client.query(MIGRATIONS[version - 1]!(schema));
      await client.query(`INSERT INTO ${schema}.schema_migrations (version) VALUES ($1)`, [version]);
    }
  });
}
