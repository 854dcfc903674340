import type { Understanding } from './understanding.js';

/**
 * One JSON line per input, as `opsbot parse` prints it. A grammar command prints exactly what it
 * printed before ({action, args, confidence, source}, or {error}); natural language adds what it
 * needs: `missing` (and the question) when a required piece is absent, `ambiguous` when two
 * values were named, `action: "none"` for out-of-scope text.
 */
export function formatUnderstanding(u: Understanding): string {
  switch (u.kind) {
    case 'action':
      return JSON.stringify({
        action: u.action.action,
        args: u.action.args,
        confidence: u.confidence,
        source: u.source,
        ...(u.corrections.length > 0 ? { corrections: u.corrections } : {}),
      });
    case 'clarify':
      return JSON.stringify({
        action: u.partial.action,
        args: u.partial.args,
        confidence: u.confidence,
        source: u.source,
        missing: u.missing,
        ...(u.ambiguous ? { ambiguous: u.ambiguous } : {}),
        ...(u.reason === 'unsure' ? { unsure: true } : {}),
        question: u.question,
        choices: u.choices,
      });
    case 'invalid':
      if (u.source === 'grammar' || !u.partial) return JSON.stringify({ error: u.message });
      return JSON.stringify({ action: u.partial.action, args: u.partial.args, confidence: u.confidence, source: u.source, error: u.message });
    case 'none':
      return JSON.stringify({ action: 'none', confidence: u.confidence, source: u.source, ...(u.reply ? { reply: u.reply } : {}) });
  }
}
