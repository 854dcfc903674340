import type { Action } from '../core/index.js';
import { JOB_ID_PATTERN } from '../core/index.js';
import { InvalidCommandError, InvalidInputError, isOpsbotError } from '../core/index.js';
import { buildActionValidators } from './action-validators.js';
import { ACTION_WORD_LIST, resolveActionWord } from './action-words.js';
import { checkText, EMPTY_COMMAND_MESSAGE, MAX_COMMAND_LENGTH } from './check-text.js';
import { COMPILED_GRAMMARS, type CompiledGrammar } from './compiled-grammar.js';
import { createEnvironmentResolver } from './environment-resolver.js';
import type { GrammarContext, ParseOutcome } from './grammar-context.js';
import { leftoverError, missingPieceError } from './grammar-messages.js';
import { issueMessages } from './issue-messages.js';
import { didYouMean, quoteWord } from './message-text.js';
import { createModelNames } from './model-names.js';
import { normalizeSlots } from './normalize-slots.js';
import { readSlots, type SlotJudge } from './read-slots.js';
import { NUMBER_SHAPE, SLOTS, VERSION_SHAPE } from './slots.js';
import { tokenize, type Token } from './tokenize.js';
import { rememberedClosestMatch } from './nl/remembered-closest-match.js';

/** The typo hint of an unknown first word; remembered, as every sentence that is no command asks it. */
const closestActionWord = rememberedClosestMatch(ACTION_WORD_LIST);

/** The bot's own name in front of a command: Slack's "/opsbot", a mention "@opsbot", or "opsbot:". */
const BOT_NAME = /^[/@]?opsbot[:,]?$/;
const HELP_OPTIONS: ReadonlySet<string> = new Set(['--help', '-h']);
/** Polite words before a command ("please deploy …"): skipped, never read as a mistyped command. */
const FILLER_WORDS: ReadonlySet<string> = new Set(['please', 'pls', 'plz', 'kindly', 'hey', 'hi', 'hello', 'ok', 'okay']);

/**
 * A parser bound to one configuration: schemas, alias tables and messages are built
 * here once, so each call only tokenizes, walks and validates.
 */
export function createCommandParser(context: GrammarContext): (text: string) => ParseOutcome {
  const validators = buildActionValidators(context.limits);
  const environments = createEnvironmentResolver(context.environments);
  const models = createModelNames(context.knownModels);
  const maxLength = context.maxLength ?? MAX_COMMAND_LENGTH;
  const judge: SlotJudge = {
    fits(slot, raw) {
      switch (SLOTS[slot].kind) {
        case 'env':
          return environments.find(raw) !== undefined;
        case 'version':
          return VERSION_SHAPE.test(raw);
        case 'count':
          return NUMBER_SHAPE.test(raw);
        case 'command':
          return resolveActionWord(raw) !== undefined;
        case 'jobId':
          // "status j-12" is a mistyped job id (and says so), "status sentiment" a model.
          return JOB_ID_PATTERN.test(raw.toLowerCase()) || /^j-/i.test(raw);
        default:
          return true;
      }
    },
    example: (slot) => (slot === 'env' ? environments.example : SLOTS[slot].example),
  };

  function parse(text: string): Action {
    checkText(text, maxLength);
    const tokens = tokenize(text);
    const start = tokens[0] !== undefined && BOT_NAME.test(tokens[0].lower) ? 1 : 0;
    const { grammar, next } = commandAt(tokens, start);
    const { rule } = grammar;
    if (tokens.some((token, i) => i >= next && !token.quoted && HELP_OPTIONS.has(token.lower))) {
      return { action: 'help', args: { topic: rule.action } };
    }
    const { words, leftovers } = readSlots(tokens, next, grammar, judge);
    // The words that were understood are checked first: a bad model name such as
    // "sentiment;rm" is a clearer answer than the shell fragment after it.
    const { values, texts } = normalizeSlots(words, { environments, models });
    if (leftovers.length > 0) throw leftoverError(rule, leftovers);
    for (const slot of rule.required) {
      const value = values[slot];
      if (value === undefined) throw missingPieceError(rule, slot, environments.choices);
      // A typo in the model is reported before a missing environment: one reply fixes the sentence in order.
      if (slot === 'model' && rule.modelMustExist) models.checkExists(String(value));
    }
    const result = validators[rule.action]({ action: rule.action, args: values });
    if (!result.success) throw new InvalidInputError(issueMessages(result.error.issues, texts));
    return result.data;
  }

  return (text) => {
    try {
      return { ok: true, action: parse(text), confidence: 1, source: 'grammar' };
    } catch (error) {
      // Only the grammar's own errors become answers; anything else is a bug and must surface.
      if (isOpsbotError(error)) return { ok: false, error: error.userMessage };
      throw error;
    }
  };
}

/** The command named at `start` (one word or a two-word phrase such as "roll back"), and where its arguments begin. */
function commandAt(tokens: readonly Token[], start: number): { grammar: CompiledGrammar; next: number } {
  const first = tokens[start];
  if (first === undefined) throw new InvalidCommandError(EMPTY_COMMAND_MESSAGE);
  if (FILLER_WORDS.has(first.lower.replace(/[,!]$/, '')) && !first.quoted && tokens[start + 1] !== undefined) return commandAt(tokens, start + 1);
  // "/deploy": a per-command slash command.
  const word = first.lower.length > 1 && first.lower.startsWith('/') ? first.lower.slice(1) : first.lower;
  const second = tokens[start + 1];
  const phrase = second === undefined ? undefined : resolveActionWord(`${word} ${second.lower}`);
  if (phrase !== undefined) return { grammar: COMPILED_GRAMMARS[phrase], next: start + 2 };
  const action = resolveActionWord(word);
  if (action !== undefined) return { grammar: COMPILED_GRAMMARS[action], next: start + 1 };
  // A lone polite word is not a typo of a command ("please" is two edits from "release").
  const hint = didYouMean(FILLER_WORDS.has(word) ? undefined : closestActionWord(word));
  throw new InvalidCommandError(`unknown command ${quoteWord(first.text)}${hint} Type \`help\` to see all commands.`);
}

/**
 * Parses one command. Builds a parser each call, so a context changed in place (a new model
 * list) is always seen; use createCommandParser for repeated parsing.
 */
export function parseCommand(text: string, context: GrammarContext): ParseOutcome {
  return createCommandParser(context)(text);
}
