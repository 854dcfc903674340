import { ACTION_NAMES, type ActionName } from '../core/index.js';
import { COMMAND_GRAMMARS, type CommandGrammar } from './command-grammar.js';
import { SLOTS, type SlotName } from './slots.js';

/** A command's grammar with its word tables turned into maps, built once at load for cheap lookups per word. */
export interface CompiledGrammar {
  readonly rule: CommandGrammar;
  readonly accepts: ReadonlySet<SlotName>;
  /** Option and keyword names of the slots this command accepts. */
  readonly keys: ReadonlyMap<string, SlotName>;
  /** Unit words ("epochs", "gpus") of the slots this command accepts. */
  readonly units: ReadonlyMap<string, SlotName>;
  readonly connectors: ReadonlyMap<string, readonly SlotName[]>;
}

/** Option names of every slot, to tell "deploy takes no --epochs" from a made-up option. */
export const ALL_SLOT_KEYS: ReadonlyMap<string, SlotName> = new Map(
  (Object.keys(SLOTS) as SlotName[]).flatMap((slot) => SLOTS[slot].keys.map((key) => [key, slot] as const)),
);

function compile(rule: CommandGrammar): CompiledGrammar {
  const keys = new Map<string, SlotName>();
  const units = new Map<string, SlotName>();
  for (const slot of rule.slots) {
    for (const key of SLOTS[slot].keys) keys.set(key, slot);
    for (const unit of SLOTS[slot].units ?? []) units.set(unit, slot);
  }
  return {
    rule,
    accepts: new Set(rule.slots),
    keys,
    units,
    connectors: new Map(Object.entries(rule.connectors ?? {})),
  };
}

export const COMPILED_GRAMMARS: Readonly<Record<ActionName, CompiledGrammar>> = Object.fromEntries(
  ACTION_NAMES.map((action) => [action, compile(COMMAND_GRAMMARS[action])]),
) as Record<ActionName, CompiledGrammar>;
