import type { Action } from '../core/index.js';
import type { ActionLimits } from '../core/index.js';

/** What the grammar needs to know from the config and the model registry. */
export interface GrammarContext {
  limits: ActionLimits;
  /** Env canonical name → its aliases, e.g. [{ name: 'prod', aliases: ['production', 'prd'] }]. */
  environments: ReadonlyArray<{ name: string; aliases: readonly string[] }>;
  /** Models that exist. When undefined or empty, model existence is not checked (only the name rule). */
  knownModels?: readonly string[];
  /**
   * Longest command text accepted, in characters (config `limits.maxMessageLength`).
   * @defaultValue 4000
   */
  maxLength?: number;
}

export type ParseOutcome =
  | { ok: true; action: Action; confidence: number; source: 'grammar' }
  | { ok: false; error: string };
