import type { RuleAlert } from '../../core/index.js';

/** The stored document (SQLite text, Postgres json, which pg parses), without absent fields. */
export function toRuleAlert(state: unknown): RuleAlert {
  const alert = (typeof state === 'string' ? JSON.parse(state) : state) as RuleAlert;
  return Object.fromEntries(Object.entries(alert).filter(([, value]) => value !== undefined)) as unknown as RuleAlert;
}
