import type { Pool } from 'pg';
import type { RuleAlert, RuleAlertStore, RuleAlertWrite } from '../../core/index.js';
import { toRuleAlert } from '../shared/rule-alert-row.js';

export class PostgresRuleAlertStore implements RuleAlertStore {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly now: () => Date,
  ) {
    this.table = `${schema}.rule_alerts`;
  }

  async list(): Promise<RuleAlert[]> {
    const { rows } = await this.pool.query<{ state: unknown }>(`SELECT state FROM ${this.table} ORDER BY key`);
    return rows.map((row) => toRuleAlert(row.state));
  }

  async save(alert: RuleAlertWrite, expectedRevision: number): Promise<RuleAlert | undefined> {
    const next = toRuleAlert({ ...alert, revision: expectedRevision + 1 });
    const state = JSON.stringify(next);
    // The revision in the WHERE clause (or the primary key, for a first write) is the compare-and-set.
    const { rowCount } =
      expectedRevision === 0
        ? await this.pool.query(`INSERT INTO ${this.table} (key, revision, state, updated_at) VALUES ($1, 1, $2, $3) ON CONFLICT DO NOTHING`, [alert.key, state, this.now()])
        : await this.pool.query(`UPDATE ${this.table} SET revision = $1, state = $2, updated_at = $3 WHERE key = $4 AND revision = $5`, [next.revision, state, this.now(), alert.key, expectedRevision]);
    return rowCount === 1 ? next : undefined;
  }

  async remove(key: string, expectedRevision: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(`DELETE FROM ${this.table} WHERE key = $1 AND revision = $2`, [key, expectedRevision]);
    return rowCount === 1;
  }
}
