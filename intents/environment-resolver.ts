import { closestMatch } from '../core/index.js';
import { InvalidInputError } from '../core/index.js';
import type { GrammarContext } from './grammar-context.js';
import { didYouMean, listWithOr, quoteWord } from './message-text.js';

/** Configured environment names and aliases, looked up without guessing. */
export interface EnvironmentResolver {
  /** The canonical name for a name or alias (any case), or undefined. */
  find(word: string): string | undefined;
  /** The canonical name, or an InvalidInputError that suggests the closest one. */
  resolve(word: string): string;
  /** "dev, staging or prod", for messages that ask for one. */
  readonly choices: string;
  /** An environment to show in examples. */
  readonly example: string;
}

export function createEnvironmentResolver(environments: GrammarContext['environments']): EnvironmentResolver {
  const byWord = new Map<string, string>();
  for (const env of environments) {
    byWord.set(env.name.toLowerCase(), env.name);
    for (const alias of env.aliases) byWord.set(alias.toLowerCase(), env.name);
  }
  const words = [...byWord.keys()];
  const names = environments.map((env) => env.name);
  const list = names.join(', ');
  const find = (word: string) => byWord.get(word.toLowerCase());
  return {
    find,
    resolve(word) {
      const name = find(word);
      if (name !== undefined) return name;
      const near = closestMatch(word, words);
      const hint = didYouMean(near === undefined ? undefined : byWord.get(near));
      throw new InvalidInputError(`unknown environment ${quoteWord(word)}${hint} Environments are ${list}.`);
    },
    choices: listWithOr(names),
    example: names[0] ?? 'staging',
  };
}
