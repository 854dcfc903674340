import type { Pool } from 'pg';
import type { AlertGroup, AlertGroupPatch, AlertGroupStore, NewAlertGroup } from '../../core/index.js';
import { newAlertGroupState, patchedAlertGroup, toAlertGroup } from '../shared/alert-group-row.js';

export class PostgresAlertGroupStore implements AlertGroupStore {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly now: () => Date,
  ) {
    this.table = `${schema}.alert_groups`;
  }

  async get(id: string): Promise<AlertGroup | undefined> {
    const { rows } = await this.pool.query<{ state: unknown }>(`SELECT state FROM ${this.table} WHERE id = $1`, [id]);
    return rows[0] ? toAlertGroup(rows[0].state) : undefined;
  }

  async getByGroupKey(groupKey: string): Promise<AlertGroup | undefined> {
    const { rows } = await this.pool.query<{ state: unknown }>(`SELECT state FROM ${this.table} WHERE group_key = $1`, [groupKey]);
    return rows[0] ? toAlertGroup(rows[0].state) : undefined;
  }

  async create(group: NewAlertGroup): Promise<AlertGroup | undefined> {
    const at = this.now();
    const state = newAlertGroupState(group, at.toISOString());
    const { rowCount } = await this.pool.query(
      `INSERT INTO ${this.table} (id, group_key, revision, state, created_at, updated_at) VALUES ($1, $2, 1, $3, $4, $4) ON CONFLICT DO NOTHING`,
      [group.id, group.groupKey, JSON.stringify(state), at],
    );
    return rowCount === 1 ? state : undefined;
  }

  async update(id: string, expectedRevision: number, patch: AlertGroupPatch): Promise<AlertGroup | undefined> {
    const current = await this.get(id);
    if (!current || current.revision !== expectedRevision) return undefined;
    const at = this.now();
    const next = patchedAlertGroup(current, patch, at.toISOString());
    // The revision in the WHERE clause is the compare-and-set: a concurrent writer's update makes this one match nothing.
    const { rowCount } = await this.pool.query(
      `UPDATE ${this.table} SET revision = $1, state = $2, updated_at = $3 WHERE id = $4 AND revision = $5`,
      [next.revision, JSON.stringify(next), at, id, expectedRevision],
    );
    return rowCount === 1 ? next : undefined;
  }

  async countFiring(): Promise<Array<{ severity: string; receiver: string; count: number }>> {
    const { rows } = await this.pool.query<{ severity: string; receiver: string; count: string }>(
      `SELECT coalesce(state->'commonLabels'->>'severity', '') AS severity, state->>'receiver' AS receiver, count(*) AS count
       FROM ${this.table} WHERE state->>'status' = 'firing' GROUP BY 1, 2`,
    );
    return rows.map((row) => ({ ...row, count: Number(row.count) }));
  }
}
