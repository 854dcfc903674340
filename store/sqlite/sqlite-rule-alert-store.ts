import type Database from 'better-sqlite3';
import type { RuleAlert, RuleAlertStore, RuleAlertWrite } from '../../core/index.js';
import { toRuleAlert } from '../shared/rule-alert-row.js';

export class SqliteRuleAlertStore implements RuleAlertStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date,
  ) {}

  async list(): Promise<RuleAlert[]> {
    const rows = this.db.prepare('SELECT state FROM rule_alerts ORDER BY key').all() as Array<{ state: string }>;
    return rows.map((row) => toRuleAlert(row.state));
  }

  async save(alert: RuleAlertWrite, expectedRevision: number): Promise<RuleAlert | undefined> {
    const next = toRuleAlert({ ...alert, revision: expectedRevision + 1 });
    const at = this.now().toISOString();
    const state = JSON.stringify(next);
    const result =
      expectedRevision === 0
        ? this.db.prepare('INSERT INTO rule_alerts (key, revision, state, updated_at) VALUES (?, 1, ?, ?) ON CONFLICT DO NOTHING').run(alert.key, state, at)
        : this.db.prepare('UPDATE rule_alerts SET revision = ?, state = ?, updated_at = ? WHERE key = ? AND revision = ?').run(next.revision, state, at, alert.key, expectedRevision);
    return result.changes === 1 ? next : undefined;
  }

  async remove(key: string, expectedRevision: number): Promise<boolean> {
    return this.db.prepare('DELETE FROM rule_alerts WHERE key = ? AND revision = ?').run(key, expectedRevision).changes === 1;
  }
}
