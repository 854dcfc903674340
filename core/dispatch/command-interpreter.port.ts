import type { Action } from '../actions/action.schema.js';

export type Interpretation =
  | { ok: true; action: Action; confidence: number; source: string }
  | { ok: false; error: string };

/** Turns text into a typed action; the grammar (and later an intent model) sit behind it. */
export type CommandInterpreter = (text: string, knownModels: readonly string[]) => Interpretation | Promise<Interpretation>;
