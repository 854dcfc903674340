import type { Action, ActionName } from '../../core/index.js';
import type { ArgValue } from '../normalize-slots.js';
import type { SlotName } from '../slots.js';
import type { Correction } from './args-for-intent.js';
import type { RelativeReplicas } from './slot-reader.js';

/** What understood the text: the exact grammar, opsbot's intent model, or the configured LLM. */
export type UnderstandingSource = 'grammar' | 'model' | 'llm';

/** A button of a clarification: its text, and the command a click sends back (typed, it works the same). */
export interface Choice {
  readonly label: string;
  readonly command: string;
}

/** An action still missing pieces, kept per thread while its question is open. */
export interface PartialAction {
  readonly action: ActionName;
  readonly args: Readonly<Partial<Record<SlotName, ArgValue>>>;
  /** "one more replica" said before the environment was known: resolved against the count there once it is. */
  readonly relative?: RelativeReplicas;
}

export type Understanding =
  /** Ready to run (after confirmation, for a destructive action understood from natural language). */
  | {
      readonly kind: 'action';
      readonly action: Action;
      readonly confidence: number;
      readonly source: UnderstandingSource;
      /** The command it runs as, to show back: "rollback fraud in prod". */
      readonly command: string;
      /** Typos resolved on the way ("sentimnt" → "sentiment"), to show back. */
      readonly corrections: readonly Correction[];
    }
  /** One short question before anything runs. */
  | {
      readonly kind: 'clarify';
      /** missing: a required piece is absent; ambiguous: two models or environments named; unsure: the intent itself is in doubt. */
      readonly reason: 'missing' | 'ambiguous' | 'unsure';
      readonly question: string;
      readonly choices: readonly Choice[];
      readonly partial: PartialAction;
      readonly missing: readonly SlotName[];
      readonly ambiguous?: Readonly<Partial<Record<'model' | 'env', readonly string[]>>>;
      readonly confidence: number;
      readonly source: UnderstandingSource;
    }
  /** Understood, but a value breaks a rule (an unknown model, 99 replicas): the message says what to fix. */
  | {
      readonly kind: 'invalid';
      readonly message: string;
      readonly partial?: PartialAction;
      readonly confidence: number;
      readonly source: UnderstandingSource;
    }
  /** Not a request opsbot handles: chit-chat, another tool's command. Answer with a pointer to `help`, never an action. */
  | { readonly kind: 'none'; readonly confidence: number; readonly source: UnderstandingSource; readonly reply?: string };

export type ClarifyUnderstanding = Extract<Understanding, { kind: 'clarify' }>;
