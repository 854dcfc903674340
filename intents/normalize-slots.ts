import { ACTION_NAMES } from '../core/index.js';
import { closestMatch } from '../core/index.js';
import { InvalidInputError } from '../core/index.js';
import { ACTION_WORD_LIST, resolveActionWord } from './action-words.js';
import type { EnvironmentResolver } from './environment-resolver.js';
import { duplicateError } from './grammar-messages.js';
import { didYouMean, quoteWord } from './message-text.js';
import type { ModelNames } from './model-names.js';
import type { SlotWord } from './read-slots.js';
import { readSince } from './relative-time.js';
import { NUMBER_SHAPE, SLOTS, type SlotName } from './slots.js';

export type ArgValue = string | number | boolean;
export type SlotValues = Partial<Record<SlotName, ArgValue>>;
/** Each slot's text as the user gave it, for messages. */
export type SlotTexts = Partial<Record<SlotName, string>>;

export interface Normalizers {
  readonly environments: EnvironmentResolver;
  readonly models: ModelNames;
}

const SWITCH_VALUES: ReadonlyMap<string, boolean> = new Map([
  ['true', true], ['yes', true], ['on', true], ['1', true],
  ['false', false], ['no', false], ['off', false], ['0', false],
]);

/**
 * Turns each slot's text into its argument value (canonical environment, number, ISO time)
 * and rejects a slot given twice with different values. Range checks are left to the schema.
 */
export function normalizeSlots(words: readonly SlotWord[], normalizers: Normalizers): { values: SlotValues; texts: SlotTexts } {
  const values: SlotValues = {};
  const texts: SlotTexts = {};
  for (const { slot, raw } of words) {
    const value = normalize(slot, raw, normalizers);
    const previous = values[slot];
    if (previous !== undefined && previous !== value) throw duplicateError(slot, texts[slot] ?? '', raw);
    values[slot] = value;
    texts[slot] ??= raw;
  }
  return { values, texts };
}

function normalize(slot: SlotName, raw: string, { environments, models }: Normalizers): ArgValue {
  switch (SLOTS[slot].kind) {
    case 'model':
      models.checkName(raw);
      return raw;
    case 'version':
      return normalizeVersion(raw);
    case 'env':
      return environments.resolve(raw);
    case 'count':
      // Non-numbers go through as text so the schema's own "must be a whole number" message answers.
      return NUMBER_SHAPE.test(raw) ? Number(raw) : raw;
    case 'jobId':
      return raw.toLowerCase();
    case 'since':
      return readSince(raw, Date.now());
    case 'command':
      return resolveCommand(slot, raw);
    case 'switch': {
      const on = SWITCH_VALUES.get(raw.toLowerCase());
      if (on === undefined) throw new InvalidInputError(`${SLOTS[slot].label} takes no value: write "${slot}" or --${slot}`);
      return on;
    }
    case 'text':
      return raw;
  }
}

/** "v3" → "3", "V03" → "3", "Latest" → "latest"; anything else is left for the schema's VERSION_RULE. */
function normalizeVersion(raw: string): string {
  const lower = raw.toLowerCase();
  const digits = lower.startsWith('v') ? lower.slice(1) : lower;
  if (/^\d+$/.test(digits)) return digits.replace(/^0+(?=\d)/, '');
  return lower === 'latest' || lower === 'previous' ? lower : raw;
}

function resolveCommand(slot: SlotName, raw: string): string {
  const action = resolveActionWord(raw);
  if (action !== undefined) return action;
  const near = closestMatch(raw, ACTION_WORD_LIST);
  const hint = didYouMean(near === undefined ? undefined : resolveActionWord(near));
  throw new InvalidInputError(`unknown ${SLOTS[slot].label} ${quoteWord(raw)}${hint} Commands are ${ACTION_NAMES.join(', ')}.`);
}
