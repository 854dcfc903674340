import type Database from 'better-sqlite3';
import type { AlertGroup, AlertGroupPatch, AlertGroupStore, NewAlertGroup } from '../../core/index.js';
import { newAlertGroupState, patchedAlertGroup, toAlertGroup } from '../shared/alert-group-row.js';

export class SqliteAlertGroupStore implements AlertGroupStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date,
  ) {}

  async get(id: string): Promise<AlertGroup | undefined> {
    const row = this.db.prepare('SELECT state FROM alert_groups WHERE id = ?').get(id) as { state: string } | undefined;
    return row ? toAlertGroup(row.state) : undefined;
  }

  async getByGroupKey(groupKey: string): Promise<AlertGroup | undefined> {
    const row = this.db.prepare('SELECT state FROM alert_groups WHERE group_key = ?').get(groupKey) as { state: string } | undefined;
    return row ? toAlertGroup(row.state) : undefined;
  }

  async create(group: NewAlertGroup): Promise<AlertGroup | undefined> {
    const at = this.now().toISOString();
    const state = newAlertGroupState(group, at);
    const result = this.db
      .prepare('INSERT INTO alert_groups (id, group_key, revision, state, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(group.id, group.groupKey, JSON.stringify(state), at, at);
    return result.changes === 1 ? state : undefined;
  }

  async update(id: string, expectedRevision: number, patch: AlertGroupPatch): Promise<AlertGroup | undefined> {
    // One synchronous transaction: nothing else in this process runs between the read and the write,
    // and the revision in the WHERE clause stops another process's write in between.
    return this.db.transaction(() => {
      const current = this.db.prepare('SELECT state FROM alert_groups WHERE id = ? AND revision = ?').get(id, expectedRevision) as { state: string } | undefined;
      if (!current) return undefined;
      const at = this.now().toISOString();
      const next = patchedAlertGroup(toAlertGroup(current.state), patch, at);
      const result = this.db
        .prepare('UPDATE alert_groups SET revision = ?, state = ?, updated_at = ? WHERE id = ? AND revision = ?')
        .run(next.revision, JSON.stringify(next), at, id, expectedRevision);
      return result.changes === 1 ? next : undefined;
    }).immediate();
  }

  async countFiring(): Promise<Array<{ severity: string; receiver: string; count: number }>> {
    return this.db
      .prepare(
        `SELECT coalesce(json_extract(state, '$.commonLabels.severity'), '') AS severity, json_extract(state, '$.receiver') AS receiver, count(*) AS count
         FROM alert_groups WHERE json_extract(state, '$.status') = 'firing' GROUP BY 1, 2`,
      )
      .all() as Array<{ severity: string; receiver: string; count: number }>;
  }
}
