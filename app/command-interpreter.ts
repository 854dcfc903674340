import type { CommandInterpreter, OpsbotConfig } from '../core/index.js';
import { actionLimitsFrom } from '../core/index.js';
import { createCommandParser, type ParseOutcome } from '../intents/index.js';

/** The grammar, rebuilt only when the set of known models changes (parsers precompute their tables). */
export function grammarInterpreter(config: OpsbotConfig): CommandInterpreter {
  let cachedKey: string | undefined;
  let parse: ((text: string) => ParseOutcome) | undefined;
  return (text, knownModels) => {
    const key = knownModels.join(',');
    if (!parse || key !== cachedKey) {
      parse = createCommandParser({ limits: actionLimitsFrom(config), environments: config.environments, knownModels });
      cachedKey = key;
    }
    return parse(text);
  };
}
