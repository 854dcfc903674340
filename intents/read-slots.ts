import { MODEL_NAME_PATTERN, closestMatch } from '../core/index.js';
import { resolveActionWord } from './action-words.js';
import { ALL_SLOT_KEYS, type CompiledGrammar } from './compiled-grammar.js';
import {
  optionNeedsValueError,
  optionNotTakenError,
  rangeError,
  unknownOptionError,
  wordNeedsValueError,
} from './grammar-messages.js';
import { NUMBER_SHAPE, SLOTS, type SlotName } from './slots.js';
import type { Token } from './tokenize.js';

/** A slot and the text given for it, before normalizing. */
export interface SlotWord {
  readonly slot: SlotName;
  readonly raw: string;
}

/** What the walk needs from the configured world. */
export interface SlotJudge {
  /** Whether a value reads as this slot ("3" as replicas, "prod" as an environment). */
  fits(slot: SlotName, raw: string): boolean;
  /** A sample value for messages. */
  example(slot: SlotName): string;
}

interface Option {
  /** Lower-case name without dashes. */
  readonly name: string;
  /** As typed, for messages: "--epochs" or "epochs". */
  readonly typed: string;
  /** The inline value of --key=value / key=value. */
  readonly value: string | undefined;
}

/** Words that only join a phrase: "for 5 epochs", "with 2 gpus". */
const FILLERS: ReadonlySet<string> = new Set(['for', 'with', 'using']);
/**
 * Words people add to a command that are no name ("status please!", "status now"): the
 * alternate positional never takes them, so they are left over rather than read as a model.
 */
const POLITE_WORDS: ReadonlySet<string> = new Set([
  'please', 'pls', 'plz', 'plox', 'kindly', 'thanks', 'thank', 'thx', 'ty', 'tia', 'cheers', 'now', 'again', 'asap', 'quickly',
  'ok', 'okay', 'hey', 'hi', 'hello', 'yo', 'sir', 'mate', 'team', 'folks', 'everyone', 'anyone', 'guys', 'bot', 'opsbot', 'lol',
  'rn', 'all', 'everything',
]);
/** v3, latest, previous on their own always mean a version. */
const VERSION_WORD = /^(v\d+|latest|previous)$/;
/** sentiment:3, sentiment@v3, sentiment@latest. */
const MODEL_AT_VERSION = /^(.+)[:@](v?\d+|latest|previous)$/i;

/** How many dashes start an option: 2 for --key, 1 for —key (chat clients turn "--" into a dash), else 0. */
function dashesOf(token: Token): number {
  if (token.plain >= 3 && token.text.startsWith('--')) return 2;
  const first = token.text[0];
  return token.plain >= 2 && (first === '\u2014' || first === '\u2013') ? 1 : 0;
}

/** --key[=value], —key, or key=value. */
function optionOf(token: Token): Option | undefined {
  const { text, eq } = token;
  const skip = dashesOf(token);
  if (skip === 0 && eq <= 0) return undefined;
  const end = eq > skip ? eq : text.length;
  return {
    name: token.lower.slice(skip, end),
    typed: text.slice(0, end),
    value: eq > skip ? text.slice(eq + 1) : undefined,
  };
}

/** Whether a token is a dashed option; key=value tokens may still be values ("--user a=b"). */
function isDashed(token: Token | undefined): boolean {
  return token !== undefined && dashesOf(token) > 0;
}

/**
 * Walks the words after the command name and sorts each into a slot or the leftovers.
 * Order is free; each word is tried as an option, "N unit", a version word, a range,
 * a connector ("to prod"), a keyword ("epochs 5"), and finally the positional slot.
 */
export function readSlots(
  tokens: readonly Token[],
  from: number,
  grammar: CompiledGrammar,
  judge: SlotJudge,
): { words: SlotWord[]; leftovers: string[] } {
  const { rule } = grammar;
  const words: SlotWord[] = [];
  const leftovers: string[] = [];
  const given = (slot: SlotName) => words.some((word) => word.slot === slot);
  /** Index of the unit word after a value ("to 3 replicas"), so it is not left over. */
  const afterUnit = (i: number, slot: SlotName) => {
    const next = tokens[i + 1];
    return next !== undefined && !next.quoted && grammar.units.get(next.lower) === slot ? i + 1 : i;
  };
  /** Takes the value after a keyword or option at i; returns the index of the last word used. */
  const takeValue = (i: number, slot: SlotName, missing: () => Error) => {
    const next = tokens[i + 1];
    if (next === undefined || isDashed(next)) throw missing();
    words.push({ slot, raw: next.text });
    return afterUnit(i + 1, slot);
  };

  for (let i = from; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    const option = optionOf(token);
    if (option !== undefined) {
      const slot = slotOfOption(option, grammar);
      const missing = () => optionNeedsValueError(option.typed, judge.example(slot));
      if (SLOTS[slot].kind === 'switch') words.push({ slot, raw: option.value ?? 'true' });
      else if (option.value === undefined) i = takeValue(i, slot, missing);
      else if (option.value === '') throw missing();
      else {
        words.push({ slot, raw: option.value });
        i = afterUnit(i, slot);
      }
      continue;
    }
    if (!token.quoted) {
      const word = token.lower;
      const unitSlot = next !== undefined && !next.quoted && NUMBER_SHAPE.test(word) ? grammar.units.get(next.lower) : undefined;
      if (unitSlot !== undefined) {
        words.push({ slot: unitSlot, raw: token.text });
        i++;
        continue;
      }
      if (grammar.accepts.has('version') && VERSION_WORD.test(word)) {
        words.push({ slot: 'version', raw: token.text });
        continue;
      }
      if (word === 'between' && grammar.accepts.has('min')) {
        const [low, and, high] = [tokens[i + 1], tokens[i + 2], tokens[i + 3]];
        if (low === undefined || high === undefined || and?.lower !== 'and') throw rangeError(rule);
        words.push({ slot: 'min', raw: low.text }, { slot: 'max', raw: high.text });
        i = afterUnit(i + 3, 'replicas');
        continue;
      }
      if (FILLERS.has(word) && next !== undefined && startsPhrase(next, tokens[i + 2], grammar)) continue;
      // "retrain fraud from scratch" (or "from zero"): a full run, not one based on a model called scratch.
      if (word === 'from' && (next?.lower === 'scratch' || next?.lower === 'zero') && grammar.accepts.has('mode') && !next?.quoted) {
        words.push({ slot: 'mode', raw: 'full' });
        i++;
        continue;
      }
      const choices = grammar.connectors.get(word);
      // "train fraud on gpu", "evaluate churn v3 against v2": no dataset follows, so the sentence is no command.
      if (choices !== undefined && choices[0] === 'dataset' && next !== undefined && !next.quoted && NOT_A_DATASET.test(next.lower)) {
        leftovers.push(token.text);
        continue;
      }
      if (choices !== undefined) {
        const first = choices[0]!;
        const slot = next === undefined ? first : (choices.find((s) => judge.fits(s, next.text)) ?? first);
        i = takeValue(i, slot, () => wordNeedsValueError(token.text, judge.example(first)));
        continue;
      }
      const keySlot = grammar.keys.get(word);
      if (keySlot !== undefined && SLOTS[keySlot].kind === 'switch') {
        words.push({ slot: keySlot, raw: 'true' });
        continue;
      }
      if (keySlot !== undefined && !introducesOwnValue(next, grammar)) {
        i = takeValue(i, keySlot, () => wordNeedsValueError(token.text, judge.example(keySlot)));
        continue;
      }
    }
    const positional = rule.positional;
    if (positional !== undefined && !given(positional)) {
      const phrase = next !== undefined && SLOTS[positional].kind === 'command' ? `${token.lower} ${next.lower}` : undefined;
      if (phrase !== undefined && resolveActionWord(phrase) !== undefined) {
        words.push({ slot: positional, raw: phrase }); // "help roll back"
        i++;
        continue;
      }
      if (!rule.positionalMustFit || judge.fits(positional, token.text)) {
        pushPositional(words, positional, token, grammar);
        continue;
      }
    }
    if (rule.otherPositional !== undefined && !given(rule.otherPositional) && couldFill(rule.otherPositional, token)) {
      pushPositional(words, rule.otherPositional, token, grammar);
      continue;
    }
    if (rule.bareNumber !== undefined && !token.quoted && NUMBER_SHAPE.test(token.lower)) {
      words.push({ slot: rule.bareNumber, raw: token.text });
      i = afterUnit(i, rule.bareNumber);
      continue;
    }
    leftovers.push(token.text);
  }
  return { words, leftovers };
}

/** Words after "on"/"against" that are no dataset: hardware, an article, a version. */
const NOT_A_DATASET = /^(?:gpus?|cpus?|the|a|an|my|our|v\d+|version|latest|previous)$/;

/** Whether a free word can be the alternate positional: a model only if it is shaped like a model name and is no polite filler. */
function couldFill(slot: SlotName, token: Token): boolean {
  if (token.quoted || slot !== 'model') return true;
  return MODEL_NAME_PATTERN.test(token.lower) && !POLITE_WORDS.has(token.lower);
}

/** The slot an option names, or an error that says which options the command has. */
function slotOfOption(option: Option, grammar: CompiledGrammar): SlotName {
  const slot = grammar.keys.get(option.name);
  if (slot !== undefined) return slot;
  if (ALL_SLOT_KEYS.has(option.name)) throw optionNotTakenError(grammar.rule, option.typed);
  const near = closestMatch(option.name, [...grammar.keys.keys()]);
  const dashes = option.typed.slice(0, option.typed.length - option.name.length);
  throw unknownOptionError(grammar.rule, option.typed, near === undefined ? undefined : `${dashes}${near}`);
}

/** "model to prod": a keyword followed by a connector or keyword is not naming a value, so it is a plain word. */
function introducesOwnValue(next: Token | undefined, grammar: CompiledGrammar): boolean {
  return next !== undefined && !next.quoted && (grammar.connectors.has(next.lower) || grammar.keys.has(next.lower));
}

/** Whether a filler word is followed by something it can introduce: an option, a keyword or "N unit". */
function startsPhrase(next: Token, after: Token | undefined, grammar: CompiledGrammar): boolean {
  if (next.quoted) return false;
  if (isDashed(next) || grammar.keys.has(next.lower)) return true;
  return after !== undefined && !after.quoted && NUMBER_SHAPE.test(next.lower) && grammar.units.has(after.lower);
}

/** The model word may carry its version: "sentiment:3", "sentiment@latest". */
function pushPositional(words: SlotWord[], slot: SlotName, token: Token, grammar: CompiledGrammar): void {
  const split = slot === 'model' && !token.quoted && grammar.accepts.has('version') ? MODEL_AT_VERSION.exec(token.text) : null;
  if (split === null) words.push({ slot, raw: token.text });
  else words.push({ slot, raw: split[1]! }, { slot: 'version', raw: split[2]! });
}
