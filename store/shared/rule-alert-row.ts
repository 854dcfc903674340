import type { RuleAlert } from '../../core/index.js';
import { withoutAbsent } from './sql-values.js';

/** The stored document (SQLite text, Postgres json, which pg parses), without absent fields. */
export function toRuleAlert(state: unknown): RuleAlert {
  return withoutAbsent((typeof state === 'string' ? JSON.parse(state) : state) as RuleAlert);
}
