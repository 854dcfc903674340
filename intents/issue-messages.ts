import type { z } from 'zod';
import { quoteWord } from './message-text.js';
import type { SlotTexts } from './normalize-slots.js';
import { SLOTS, type SlotName } from './slots.js';

/** Slots whose schema message states the rule but not the bad value, so the value is quoted in front. */
const QUOTES_VALUE: ReadonlySet<string> = new Set<SlotName>(['version', 'dataset', 'jobId', 'user']);

/**
 * The schema messages are written for users ("replicas must be between 0 and 50");
 * this only names the offending value where the message does not, and joins several.
 */
export function issueMessages(issues: readonly z.core.$ZodIssue[], texts: SlotTexts): string {
  const messages = new Set<string>();
  for (const issue of issues) {
    const slot = issue.path[1];
    let message = issue.message;
    if (issue.code === 'too_big' && issue.origin === 'string') message = `at most ${issue.maximum} characters`;
    if (typeof slot === 'string' && QUOTES_VALUE.has(slot)) {
      const text = texts[slot as SlotName];
      if (text !== undefined) message = `invalid ${SLOTS[slot as SlotName].label} ${quoteWord(text)}: ${message}`;
    }
    messages.add(message);
  }
  return [...messages].join('; ');
}
