import { actionLimitsFrom, defaultConfig, type ActionName } from '../../core/index.js';
import { COMMAND_GRAMMARS } from '../command-grammar.js';
import type { IntentClassifier } from '../nl/intent-classifier.js';
import { sinceInstant } from '../nl/since-instant.js';
import { createUnderstander } from '../nl/understand.js';
import type { Understanding } from '../nl/understanding.js';
import { expectedCalibrationError } from './calibration.js';
import { HELD_OUT_MODELS } from './fillers.js';
import { CURRENT_REPLICAS, expandTemplates, loadTemplates, type Utterance } from './intent-data.js';

/** Fixed: the held-out sentences are the same in every run. */
export const HELD_OUT_SEED = 2024;
export const HELD_OUT_NOW = Date.UTC(2026, 5, 15, 12, 0, 0);

export interface HeldOutScores {
  sentences: number;
  inScope: number;
  outOfScope: number;
  /** In-scope sentences whose intent is right. */
  intentAccuracy: number;
  /** All held-out sentences, `none` counted as an intent. */
  overallAccuracy: number;
  /** In-scope sentences whose intent and every argument are right. */
  slotExactMatch: number;
  /** Out-of-scope sentences answered with `none`. */
  outOfScopeRejection: number;
  /** In-scope sentences answered with `none`. */
  falseRejection: number;
  /** Expected calibration error of the reported confidence, over all held-out sentences. */
  ece: number;
  failures: Array<{ text: string; label: string; got: string; args?: unknown; expected?: unknown }>;
}

/** The intent an answer stands for: the action it runs or asks about, or none. */
export function intentOf(u: Understanding): string {
  switch (u.kind) {
    case 'action':
      return u.action.action;
    case 'clarify':
      return u.partial.action;
    case 'invalid':
      return u.partial?.action ?? 'invalid';
    case 'none':
      return 'none';
  }
}

export function argsOf(u: Understanding): Record<string, unknown> {
  if (u.kind === 'action') return u.action.args as Record<string, unknown>;
  if (u.kind === 'clarify' || u.kind === 'invalid') return { ...(u.partial?.args ?? {}) };
  return {};
}

function expectedArgs(u: Utterance): Record<string, unknown> {
  const accepts = new Set<string>(COMMAND_GRAMMARS[u.label as ActionName].slots);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(u.expected)) {
    if (!accepts.has(key)) continue;
    out[key] = key === 'since' ? sinceInstant(String(value), HELD_OUT_NOW) : value;
  }
  return out;
}

function sameArgs(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}

/** The held-out sentences: templates no training run reads, filled with model names training never saw. */
export function heldOutUtterances(): Utterance[] {
  const environments = defaultConfig().environments;
  return expandTemplates(loadTemplates().filter((t) => t.heldOut), { environments, fillings: 3, seed: HELD_OUT_SEED, heldOutPool: true, noise: false });
}

/** Scores the whole understanding (grammar, intent model, slots) on the held-out split, as `opsbot parse` would answer. */
export async function scoreHeldOut(options: { registry: boolean; classifier?: Promise<IntentClassifier> }): Promise<HeldOutScores> {
  return scoreUtterances(heldOutUtterances(), { knownModels: options.registry ? HELD_OUT_MODELS : [], ...(options.classifier ? { classifier: options.classifier } : {}) });
}

/** Scores any sentences of the data the same way (the dev report scores the train split's calibration slice with it). */
export async function scoreUtterances(
  utterances: readonly Utterance[],
  options: { knownModels: readonly string[]; classifier?: Promise<IntentClassifier> },
): Promise<HeldOutScores> {
  const config = defaultConfig();
  const understander = createUnderstander({
    limits: actionLimitsFrom(config),
    environments: config.environments,
    knownModels: options.knownModels,
    currentReplicas: () => CURRENT_REPLICAS,
    now: () => HELD_OUT_NOW,
    ...(options.classifier ? { classifier: options.classifier } : {}),
  });
  let inScope = 0;
  let intentRight = 0;
  let overallRight = 0;
  let exact = 0;
  let outOfScope = 0;
  let rejected = 0;
  let falselyRejected = 0;
  const confidences: number[] = [];
  const correct: boolean[] = [];
  const failures: HeldOutScores['failures'] = [];
  for (const utterance of utterances) {
    const understood = await understander.understand(utterance.text);
    const got = intentOf(understood);
    const right = got === utterance.label;
    confidences.push(understood.confidence);
    correct.push(right);
    if (right) overallRight++;
    if (utterance.label === 'none') {
      outOfScope++;
      if (got === 'none') rejected++;
      else failures.push({ text: utterance.text, label: 'none', got });
      continue;
    }
    inScope++;
    if (got === 'none') falselyRejected++;
    if (!right) {
      failures.push({ text: utterance.text, label: utterance.label, got });
      continue;
    }
    intentRight++;
    const args = argsOf(understood);
    const expected = expectedArgs(utterance);
    if (sameArgs(args, expected)) exact++;
    else failures.push({ text: utterance.text, label: utterance.label, got, args, expected });
  }
  return {
    sentences: utterances.length,
    inScope,
    outOfScope,
    intentAccuracy: intentRight / inScope,
    overallAccuracy: overallRight / utterances.length,
    slotExactMatch: exact / inScope,
    outOfScopeRejection: rejected / outOfScope,
    falseRejection: falselyRejected / inScope,
    ece: expectedCalibrationError(confidences, correct),
    failures,
  };
}
