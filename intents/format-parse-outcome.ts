import type { ParseOutcome } from './grammar-context.js';

/** One JSON line per input, exactly as the `opsbot parse` CLI prints it. */
export function formatParseOutcome(outcome: ParseOutcome): string {
  if (!outcome.ok) return JSON.stringify({ error: outcome.error });
  const { action, confidence, source } = outcome;
  return JSON.stringify({ action: action.action, args: action.args, confidence, source });
}
