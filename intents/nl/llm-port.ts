import type { ActionName } from '../../core/index.js';

/** What the LLM made of a sentence: a tool call (not yet validated), a plain answer, or a failure to report. */
export type LlmOutcome =
  | { readonly kind: 'tool-call'; readonly action: ActionName; readonly args: Readonly<Record<string, unknown>> }
  | { readonly kind: 'no-tool-call'; readonly reply: string }
  /** `unavailable`: the LLM could not be asked (the intent model's own answer stands); else its answer made no sense. */
  | { readonly kind: 'error'; readonly message: string; readonly unavailable?: boolean };

/** The optional LLM behind the intent model (intents/llm/): asked only about sentences the model is unsure of. */
export interface LlmInterpreter {
  interpret(text: string): Promise<LlmOutcome>;
}
