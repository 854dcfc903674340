/** The command grammar: chat text → a typed, validated action. */
export type { GrammarContext, ParseOutcome } from './grammar-context.js';
export { createCommandParser, parseCommand } from './parse-command.js';
export { formatParseOutcome } from './format-parse-outcome.js';
export { usageOf } from './command-grammar.js';
export { MAX_COMMAND_LENGTH } from './check-text.js';
export { readSince } from './relative-time.js';

/** Natural language: the grammar first, then opsbot's own intent model, slots and clarifications; optionally an LLM. */
export { createUnderstander, type Understander, type UnderstandContext } from './nl/understand.js';
export type { Understanding, ClarifyUnderstanding, Choice, PartialAction, UnderstandingSource } from './nl/understanding.js';
export type { Correction } from './nl/args-for-intent.js';
export { formatUnderstanding } from './nl/format-understanding.js';
export { formatCommand } from './nl/format-command.js';
export { PendingClarifications, type PendingClarification, type PendingClarificationsOptions } from './nl/pending-clarifications.js';
export { answerClarification, type ClarificationAnswer } from './nl/answer-clarification.js';
export { IntentClassifier, sharedIntentClassifier } from './nl/intent-classifier.js';
export type { LlmInterpreter, LlmOutcome } from './nl/llm-port.js';
