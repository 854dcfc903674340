import type { ActionName } from '../../core/index.js';
import { COMMAND_GRAMMARS } from '../command-grammar.js';
import type { ArgValue } from '../normalize-slots.js';
import type { SlotName } from '../slots.js';
import { sinceInstant } from './since-instant.js';
import type { EnvMention, ModelMention, Reading, RelativeReplicas } from './slot-reader.js';

/** What the integrator passes in to resolve relative requests. */
export interface ArgsContext {
  /** The replica count a model runs with now in an environment, for "double it" and "add two replicas". */
  readonly currentReplicas?: (model: string, env: string) => number | undefined;
  /** Models in the registry (lower case); empty: a guessed name is taken as it is. */
  readonly knownModels: readonly string[];
  /** For since phrases. */
  readonly now: number;
}

/** A model typo that was resolved to a registered name ("sentimnt" → "sentiment"), to show back to the user. */
export interface Correction {
  readonly slot: 'model' | 'env';
  readonly from: string;
  readonly to: string;
}

export interface IntentArgs {
  readonly args: Partial<Record<SlotName, ArgValue>>;
  /** Required slots the sentence does not give, in the order a clarification asks for them. */
  readonly missing: SlotName[];
  /** Slots named more than once with different values: asked, never guessed. */
  readonly ambiguous: Partial<Record<'model' | 'env', string[]>>;
  readonly corrections: Correction[];
  /** A model name the registry does not have, for an action whose model must exist. */
  readonly unknownModel?: string;
  /** A change of the replica count not yet resolved: the model or environment is still to be asked. */
  readonly relative?: RelativeReplicas;
  /** Why a slot is missing when the words were there: "double it" with no known replica count. */
  readonly note?: string;
}

/** Words that join a second environment to a first: "to prod and staging". */
const ENV_LIST_JOINERS: ReadonlySet<string> = new Set(['and', 'or', '&', 'plus', 'then', 'both']);
/** "prod, staging too". */
const ENV_ALSO: ReadonlySet<string> = new Set(['too', 'also', 'aswell']);
/** Versions "restore v3", "back to v3" name as the target of a rollback. */
const ROLLBACK_TARGET_CUES: ReadonlySet<string> = new Set(['restore', 'reinstate', 'to', 'put', 'bring', 'downgrade', 'use', 'switch', 'reactivate', 'resurrect']);
const HAS_REPLICAS: ReadonlySet<ActionName> = new Set(['scale']);
/** Questions whose model argument only filters what exists. */
const ASKS_ABOUT_EXISTING: ReadonlySet<ActionName> = new Set(['status', 'audit']);
const COUNT_CUES: ReadonlySet<string> = new Set(['last', 'latest', 'recent', 'top', 'first', 'newest', 'past']);
const COUNT_FOLLOWERS: ReadonlySet<string> = new Set(['most', 'latest', 'recent', 'newest', 'last']);

function distinct<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/**
 * The arguments an action takes from what a sentence says: only the slots the action's grammar
 * has, required ones listed as missing when absent (an environment is never guessed), and a
 * slot named twice with different values reported as ambiguous.
 */
export function argsForIntent(action: ActionName, reading: Reading, context: ArgsContext): IntentArgs {
  const rule = COMMAND_GRAMMARS[action];
  const accepts = new Set<string>(rule.slots);
  const args: Partial<Record<SlotName, ArgValue>> = {};
  const missing: SlotName[] = [];
  const ambiguous: IntentArgs['ambiguous'] = {};
  const corrections: Correction[] = [];
  let unknownModel: string | undefined;
  let note: string | undefined;
  let relative: RelativeReplicas | undefined;
  const set = (slot: SlotName, value: ArgValue | undefined) => {
    if (value !== undefined && accepts.has(slot)) args[slot] = value;
  };

  // Model.
  if (accepts.has('model')) {
    const names = distinct(reading.models.map((m) => m.name));
    if (names.length > 1) ambiguous.model = names;
    else if (names.length === 1) {
      const mention = reading.models.find((m) => m.name === names[0]) as ModelMention;
      // With a registry, a guessed name it lacks is no filter of a question about what exists: it is an
      // ordinary word ("status report", "btw status pls"). Train and tune keep it (they may make a new model),
      // and actions whose model must exist report it as unknown.
      const unregistered = mention.match === 'guess' && context.knownModels.length > 0 && !context.knownModels.includes(mention.name);
      if (!unregistered || !ASKS_ABOUT_EXISTING.has(action)) set('model', mention.name);
      if (mention.match === 'fuzzy' || mention.match === 'partial') corrections.push({ slot: 'model', from: mention.raw, to: mention.name });
      if (mention.match === 'guess' && rule.modelMustExist && context.knownModels.length > 0 && !context.knownModels.includes(mention.name)) {
        unknownModel = mention.raw;
      }
    }
  }

  // Environment: of a promotion "from staging to prod", the target.
  if (accepts.has('env')) {
    let envs = reading.envs;
    if (action === 'deploy' && distinct(envs.map((e) => e.name)).length > 1) {
      // An environment joined to another ("from dev and staging", "to prod and staging") plays its part.
      const sources = new Set<EnvMention>();
      envs.forEach((e, k) => {
        const joined = e.before !== undefined && ENV_LIST_JOINERS.has(e.before);
        if (e.before === 'from' || (joined && k > 0 && sources.has(envs[k - 1]!))) sources.add(e);
      });
      const targets = envs.filter((e) => !sources.has(e));
      const pointed = targets.filter((e) => e.before === 'to' || e.before === 'into' || e.before === 'onto');
      // "to prod and staging", "to prod, staging too" name two targets: asked, never one of them picked.
      const listed = targets.some((e) => (e.before !== undefined && ENV_LIST_JOINERS.has(e.before)) || ENV_ALSO.has(reading.words[e.index + 1]?.lower ?? ''));
      envs = pointed.length === 1 && !listed ? pointed : targets;
    }
    const names = distinct(envs.map((e) => e.name));
    if (names.length > 1) ambiguous.env = names;
    else if (names.length === 1) {
      set('env', names[0]);
      const typo = envs.find((e) => e.fuzzy);
      if (typo) corrections.push({ slot: 'env', from: typo.raw, to: typo.name });
    }
  }

  // Version.
  if (accepts.has('version')) {
    let versions = reading.versions.filter((v) => !v.blamed);
    if (action === 'rollback') {
      // "put the previous one back" says version=previous, as the grammar's `rollback X in prod to previous` does.
      versions = versions.filter((v) => v.target || reading.words.slice(0, v.index).some((w) => ROLLBACK_TARGET_CUES.has(w.lower)) || asksForTheOldOneBack(reading, v.index));
    }
    // "v8 is too slow, shrink it": only rollback and deploy tell the blamed version from the one to act on.
    if (versions.length === 0 && action !== 'rollback' && action !== 'deploy') versions = reading.versions.filter((v) => v.blamed);
    // "did v4 beat the old one?", "install v12, the old one is stale", "restore the old one, v10": a version named outright is the one meant.
    if (versions.some((v) => v.value !== 'previous')) versions = versions.filter((v) => v.value !== 'previous');
    const chosen = versions.find((v) => v.target && !v.weakTarget) ?? versions.find((v) => v.target) ?? versions[0];
    set('version', chosen?.value);
  }

  // Counts.
  const bySlot = (slot: string) => reading.numbers.find((n) => n.slot === slot)?.value;
  const bare = reading.numbers.filter((n) => n.slot === undefined);
  if (HAS_REPLICAS.has(action)) {
    const { min, max } = reading.range;
    if (min !== undefined || max !== undefined) {
      set('min', min);
      set('max', max);
    } else if (bySlot('replicas') !== undefined) set('replicas', bySlot('replicas'));
    else if (reading.relative !== undefined) {
      const model = typeof args.model === 'string' ? args.model : undefined;
      const env = typeof args.env === 'string' ? args.env : undefined;
      if (model === undefined || env === undefined) relative = reading.relative;
      else {
        const resolved = resolveRelativeReplicas(reading.relative, model, env, context.currentReplicas);
        if (typeof resolved === 'number') set('replicas', resolved);
        else note = resolved.note;
      }
    } else {
      const to = bare.find((n) => n.afterTo) ?? (bare.length === 1 ? bare[0] : undefined);
      set('replicas', to?.value);
    }
  }
  set('epochs', bySlot('epochs'));
  set('gpus', bySlot('gpus') ?? (reading.flags.has('cpu') ? 0 : reading.flags.has('gpu') ? 1 : undefined));
  set('trials', bySlot('trials'));
  if (action === 'audit') {
    // A bare number is a count only when it looks like one ("last 20", "top 5"), never "quick one" or "3 days".
    const counted = bare.find(
      (n) => /^\d+$/.test(reading.words[n.index]?.lower ?? '') || COUNT_CUES.has(reading.words[n.index - 1]?.lower ?? '') || COUNT_FOLLOWERS.has(reading.words[n.end]?.lower ?? ''),
    );
    // "everything fatima did today, max twenty": at most that many entries.
    set('limit', bySlot('limit') ?? counted?.value ?? (reading.range.min === undefined ? reading.range.max : undefined));
  }

  // Paths, ids, switches.
  set('dataset', reading.datasets[0]);
  if (accepts.has('jobId')) set('jobId', reading.jobIds[0]);
  if (action === 'status' && args.jobId !== undefined) delete args.model;
  if (action === 'train') {
    if (reading.base) {
      set('base', reading.base.name);
      set('mode', 'finetune');
    } else if (reading.flags.has('incremental')) set('mode', 'incremental');
    else if (reading.flags.has('scratch')) set('mode', 'full');
    set('algorithm', reading.flags.has('mlp') ? 'mlp' : reading.flags.has('softmax') ? 'softmax' : undefined);
  }
  if (action === 'tune') set('method', reading.flags.has('bayes') ? 'bayes' : reading.flags.has('grid') ? 'grid' : undefined);
  if (action === 'audit') {
    if (reading.flags.has('verify')) set('verify', true);
    set('user', reading.user);
    const filterable = (a: ActionName) => a !== 'audit' && a !== 'status' && a !== 'help' && a !== 'curve';
    set('action', reading.actionsNamed.find(filterable) ?? reading.actionsCued.find(filterable) ?? reading.actionsHinted.find(filterable));
    if (reading.since !== undefined) set('since', sinceInstant(reading.since, context.now));
  }
  if (action === 'help') set('topic', helpTopic(reading.actionsNamed) ?? reading.actionsHinted[0]);

  for (const slot of rule.required) {
    if (args[slot] === undefined && !(slot in ambiguous)) missing.push(slot);
  }
  if (action === 'scale' && args.replicas === undefined && args.min === undefined && args.max === undefined) missing.push('replicas');
  return { args, missing, ambiguous, corrections, ...(unknownModel ? { unknownModel } : {}), ...(relative ? { relative } : {}), ...(note ? { note } : {}) };
}

/** The first action a help question names; curves are of training, so training named before curves asks about curves. */
function helpTopic(named: readonly ActionName[]): ActionName | undefined {
  const topics = named.filter((a) => a !== 'help');
  return topics[0] === 'train' && topics.includes('curve') ? 'curve' : topics[0];
}

/** "prod needs the old churn back, v10 please": a version named after "the old … back" is the one wanted back. */
function asksForTheOldOneBack(reading: Reading, index: number): boolean {
  const before = reading.words.slice(0, index).map((w) => w.lower);
  const back = before.lastIndexOf('back');
  return back > 0 && before.slice(Math.max(0, back - 3), back).includes('old');
}

/** The count a change of replicas comes to for a model in an environment, or why it cannot be said. */
export function resolveRelativeReplicas(
  change: RelativeReplicas,
  model: string,
  env: string,
  currentReplicas: ArgsContext['currentReplicas'],
): number | { note: string } {
  const current = currentReplicas?.(model, env);
  return current === undefined ? { note: `I don't know how many replicas ${model} runs in ${env} now, so say the number` } : applyChange(current, change);
}

function applyChange(current: number, change: RelativeReplicas): number {
  switch (change.op) {
    case '*':
      return current * change.amount;
    case '/':
      return Math.max(1, Math.floor(current / change.amount));
    case '+':
      return current + change.amount;
    case '-':
      return Math.max(0, current - change.amount);
  }
}
