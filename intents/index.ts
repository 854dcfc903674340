/** The command grammar: chat text → a typed, validated action. */
export type { GrammarContext, ParseOutcome } from './grammar-context.js';
export { createCommandParser, parseCommand } from './parse-command.js';
export { formatParseOutcome } from './format-parse-outcome.js';
export { usageOf } from './command-grammar.js';
export { MAX_COMMAND_LENGTH } from './check-text.js';
export { readSince } from './relative-time.js';
