import { MODEL_NAME_PATTERN, MODEL_NAME_RULE } from '../core/index.js';
import { closestMatch } from '../core/index.js';
import { InvalidInputError, NotFoundError } from '../core/index.js';
import { didYouMean, quoteWord } from './message-text.js';

/** Lists longer than this are cut in "known models are …" so the reply stays readable. */
const MAX_LISTED = 20;

/** Checks model names against the DNS-label rule and, when the registry's list is known, against it. */
export interface ModelNames {
  /** Throws when the name breaks MODEL_NAME_RULE, suggesting the lower-case, unaccented form that would pass. */
  checkName(name: string): void;
  /** Throws when models are known and this is not one of them. */
  checkExists(name: string): void;
}

export function createModelNames(knownModels: readonly string[] | undefined): ModelNames {
  const known = new Set(knownModels ?? []);
  const list = [...known];
  const listed =
    list.length > MAX_LISTED ? `${list.slice(0, MAX_LISTED).join(', ')} and ${list.length - MAX_LISTED} more` : list.join(', ');

  /** What the user most likely meant by a name that breaks the rule, if folding case and accents fixes it. */
  function fixFor(name: string): string | undefined {
    const folded = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    if (!MODEL_NAME_PATTERN.test(folded)) return undefined;
    if (known.size === 0 || known.has(folded)) return folded;
    return closestMatch(folded, list) ?? folded;
  }

  return {
    checkName(name) {
      if (MODEL_NAME_PATTERN.test(name)) return;
      const fix = fixFor(name);
      throw new InvalidInputError(
        `invalid model name ${quoteWord(name)}: ${MODEL_NAME_RULE}${fix === undefined ? '' : ` — did you mean "${fix}"?`}`,
      );
    },
    checkExists(name) {
      if (known.size === 0 || known.has(name)) return;
      const near = closestMatch(name, list);
      throw new NotFoundError(
        near === undefined
          ? `unknown model ${quoteWord(name)}; known models are ${listed}`
          : `unknown model ${quoteWord(name)}${didYouMean(near)}`,
      );
    },
  };
}
