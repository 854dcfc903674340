import type { Action } from '../actions/action.schema.js';

/** A button under a clarifying question: its text and the command a click sends. */
export interface ClarificationChoice {
  label: string;
  command: string;
}

export type Interpretation =
  | {
      ok: true;
      action: Action;
      confidence: number;
      source: string;
      /**
       * Set when the action was understood from natural language rather than typed as a
       * command: the exact command it stands for, shown back before a destructive action runs.
       */
      understoodAs?: string;
    }
  /** `error` is the answer to show: what is wrong, a question to answer first, or a pointer to `help`. */
  | { ok: false; error: string; kind?: 'invalid' }
  | { ok: false; kind: 'clarify'; error: string; choices: ClarificationChoice[] }
  | { ok: false; kind: 'none'; error: string }
  | { ok: false; kind: 'dropped'; error: string };

/** Where the text was said and by whom: a clarifying question is remembered per thread, for the one it was asked. */
export interface InterpretContext {
  thread: string;
  userId: string;
}

/** Turns text into a typed action: the grammar, then opsbot's intent model (and an LLM when configured). */
export type CommandInterpreter = (text: string, knownModels: readonly string[], context?: InterpretContext) => Interpretation | Promise<Interpretation>;
