import { JOB_ID_PATTERN, closestMatch } from '../../core/index.js';
import { resolveActionWord } from '../action-words.js';
import type { ArgValue } from '../normalize-slots.js';
import type { SlotName } from '../slots.js';
import { completeAction } from './complete-action.js';
import { numberAt } from './number-words.js';
import { bareCommandWord, type Understander } from './understand.js';
import type { ClarifyUnderstanding, Understanding } from './understanding.js';
import { splitWords } from './words.js';

/** An answer to a clarification: what it completes to, that the user called it off, or that it is no answer (a new message). */
export type ClarificationAnswer =
  | { readonly kind: 'answered'; readonly understanding: Understanding }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'unrelated' };

const CANCEL_WORDS: ReadonlySet<string> = new Set(['cancel', 'no', 'nope', 'never mind', 'nevermind', 'forget it', 'stop', 'nothing', 'none']);

/**
 * Merges an answer into the half-built action of a clarification: a clicked choice (its
 * command), a typed value for the piece that was asked ("prod", "fraud", "4", "j-4f9k2a7q"),
 * or a whole new command. The result goes through the same completion and validation as any
 * other understanding, so it may ask the next question ("which environment?" after "which model?").
 */
export async function answerClarification(pending: ClarifyUnderstanding, answer: string, understander: Understander): Promise<ClarificationAnswer> {
  const text = answer.trim();
  const lower = text.toLowerCase().replace(/[.!\u2026]+$/, '');
  const said = bareCommandWord(text);
  // "please cancel", "can you stop", "okay stop": called off, like "cancel".
  if (CANCEL_WORDS.has(lower) || said === 'cancel') return { kind: 'cancelled' };
  // "scale" to "Did you mean [deploy churn to prod] [scale churn in prod]?": that choice. To a question about a
  // piece of the same action ("deploy" to "Which environment?"), the question stands.
  if (said !== undefined) {
    const chosen = pending.reason === 'unsure' ? pending.choices.find((c) => resolveActionWord(c.command.split(/\s+/)[0] ?? '') === said) : undefined;
    if (chosen !== undefined) return { kind: 'answered', understanding: await understander.understand(chosen.command) };
    if (said === pending.partial.action) return { kind: 'answered', understanding: pending };
  }
  const clicked = pending.choices.find((c) => c.command.toLowerCase() === lower || c.label.toLowerCase() === lower);
  const slot = pending.missing[0];
  // A click on a question that holds a change of replicas ("add 2 replicas" → [churn]) fills the asked piece and keeps
  // the change: the button's command may not carry a count yet, when the environment is still to be asked.
  if (clicked !== undefined && (pending.partial.relative === undefined || slot === undefined)) {
    return { kind: 'answered', understanding: await understander.understand(clicked.command) };
  }
  if (slot !== undefined && pending.reason !== 'unsure') {
    const value = await valueFor(slot, clicked?.label ?? text, pending, understander);
    if (value !== undefined) {
      const args = { ...pending.partial.args, [slot]: value } as Partial<Record<SlotName, ArgValue>>;
      return {
        kind: 'answered',
        understanding: completeAction(
          { action: pending.partial.action, args, confidence: pending.confidence, source: pending.source, ...(pending.partial.relative ? { relative: pending.partial.relative } : {}) },
          understander.world,
        ),
      };
    }
  }
  // A whole sentence instead of a value: understood on its own; chatter is no answer.
  const fresh = await understander.understand(text);
  return fresh.kind === 'none' ? { kind: 'unrelated' } : { kind: 'answered', understanding: fresh };
}

/** The value a short answer gives the slot that was asked, or undefined when it does not fit. */
async function valueFor(slot: SlotName, text: string, pending: ClarifyUnderstanding, understander: Understander): Promise<ArgValue | undefined> {
  const words = splitWords(text);
  if (words.length === 0 || words.length > 4) return undefined;
  const candidates = pending.ambiguous?.[slot as 'model' | 'env'];
  switch (slot) {
    case 'env': {
      const reading = await understander.read(text);
      const names = [...new Set(reading.envs.map((e) => e.name))];
      if (names.length === 1 && (candidates === undefined || candidates.includes(names[0]!))) return names[0];
      return undefined;
    }
    case 'model': {
      const word = words.find((w) => !['the', 'model', 'one'].includes(w.lower))?.lower;
      if (word === undefined) return undefined;
      const pool = candidates ?? understander.world.knownModels;
      if (pool.includes(word)) return word;
      if (pool.length === 0) return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(word) ? word : undefined;
      return closestMatch(word, pool);
    }
    case 'jobId': {
      const id = words.find((w) => JOB_ID_PATTERN.test(w.lower));
      return id?.lower;
    }
    case 'replicas':
    case 'version': {
      const v = /^v?(\d{1,9})$/i.exec(words[0]!.lower);
      if (v) return slot === 'version' ? String(Number(v[1])) : Number(v[1]);
      const n = numberAt(words, 0);
      return n && !n.article ? (slot === 'version' ? String(n.value) : n.value) : undefined;
    }
    default:
      return undefined;
  }
}
