import { ACTION_NAMES, type ActionName } from '../core/index.js';
import { COMMAND_GRAMMARS } from './command-grammar.js';

/** Every word and phrase naming a command → the command, built once from the grammar data. */
const ACTION_WORDS: ReadonlyMap<string, ActionName> = new Map(
  ACTION_NAMES.flatMap((action) => COMMAND_GRAMMARS[action].words.map((word) => [word, action] as const)),
);

/** The candidates a typo is compared against. */
export const ACTION_WORD_LIST: readonly string[] = [...ACTION_WORDS.keys()];

/** The command a word (in any case) names, or undefined. */
export function resolveActionWord(word: string): ActionName | undefined {
  return ACTION_WORDS.get(word.toLowerCase());
}
