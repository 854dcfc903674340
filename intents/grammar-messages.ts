import { InvalidCommandError } from '../core/index.js';
import type { CommandGrammar } from './command-grammar.js';
import { didYouMean, quoteWord } from './message-text.js';
import { SLOTS, type SlotName } from './slots.js';

/** The errors of the grammar itself; each says what was wrong and how to write it instead. */

export function leftoverError(rule: CommandGrammar, leftovers: readonly string[]): InvalidCommandError {
  return new InvalidCommandError(
    `I could not understand ${quoteWord(leftovers.join(' '))} in this ${rule.action} command. Usage: ${rule.usage}`,
  );
}

export function unknownOptionError(rule: CommandGrammar, typed: string, suggestion: string | undefined): InvalidCommandError {
  return new InvalidCommandError(`unknown option ${quoteWord(typed)} for ${rule.action}${didYouMean(suggestion)} Usage: ${rule.usage}`);
}

export function optionNotTakenError(rule: CommandGrammar, typed: string): InvalidCommandError {
  return new InvalidCommandError(`${rule.action} does not take ${quoteWord(typed)}. Usage: ${rule.usage}`);
}

/** `--epochs` with nothing after it; `example` is a sample value. */
export function optionNeedsValueError(typed: string, example: string): InvalidCommandError {
  return new InvalidCommandError(`${typed} needs a value, e.g. ${typed} ${example}`);
}

/** A keyword or connector ("to", "epochs") with nothing after it. */
export function wordNeedsValueError(word: string, example: string): InvalidCommandError {
  return new InvalidCommandError(`${quoteWord(word)} needs a value after it, e.g. "${word} ${example}"`);
}

export function rangeError(rule: CommandGrammar): InvalidCommandError {
  return new InvalidCommandError(`"between" needs a range such as "between 2 and 8". Usage: ${rule.usage}`);
}

export function duplicateError(slot: SlotName, first: string, second: string): InvalidCommandError {
  return new InvalidCommandError(
    `${SLOTS[slot].label} is given twice (${quoteWord(first)} and ${quoteWord(second)}) — give it once`,
  );
}

/** A required piece is absent; `envChoices` reads "dev, staging or prod". */
export function missingPieceError(rule: CommandGrammar, slot: SlotName, envChoices: string): InvalidCommandError {
  switch (slot) {
    case 'env':
      return new InvalidCommandError(
        `${rule.action} needs an environment: add "${rule.envHint ?? 'to <env>'}" (${envChoices}); I never guess the environment`,
      );
    case 'jobId':
      return new InvalidCommandError(`${rule.action} needs a job id, e.g. ${rule.action} j-4f9k2a7q (see \`status\`)`);
    case 'version':
      return new InvalidCommandError(`${rule.action} needs a version, such as v2; I never guess which one. Usage: ${rule.usage}`);
    default:
      return new InvalidCommandError(`${rule.action} needs a ${SLOTS[slot].label} name. Usage: ${rule.usage}`);
  }
}
