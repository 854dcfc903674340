import { JOB_ID_PATTERN, MODEL_NAME_PATTERN, type ActionName } from '../../core/index.js';
import { resolveActionWord } from '../action-words.js';
import { CUE_WORDS, cueOf, exactCueOf } from './cue-words.js';
import { ACTION_HINTS, ACTION_MENTIONS, ENV_CUES, ENV_SYNONYMS, MODEL_NOUNS, MODEL_VERBS, NUMBER_UNITS, STOP_WORDS, TONE_WORDS } from './lexicon.js';
import { numberAt } from './number-words.js';
import { WEEKDAYS } from './since-instant.js';
import { rememberedClosestMatch } from './remembered-closest-match.js';
import { splitWords, type Word } from './words.js';

export interface SlotReaderContext {
  /** Env canonical name → its aliases (the config's `environments`). */
  readonly environments: ReadonlyArray<{ name: string; aliases: readonly string[] }>;
  /** Models in the registry; empty or absent: names are guessed from the sentence's shape. */
  readonly knownModels?: readonly string[];
  /** Words of the training sentences: ordinary words, never guessed to be a model name. */
  readonly vocabulary?: ReadonlySet<string>;
}

/** How a model name was found: typed as registered, a unique part of one ("fraud" for fraud-detector), a typo of one, or guessed without a registry. */
export type ModelMatch = 'exact' | 'partial' | 'fuzzy' | 'guess';

export interface ModelMention {
  readonly name: string;
  readonly raw: string;
  readonly index: number;
  readonly match: ModelMatch;
}

export interface EnvMention {
  readonly name: string;
  readonly raw: string;
  readonly index: number;
  readonly fuzzy: boolean;
  /** The word before it ("from" in "from staging to prod"). */
  readonly before: string | undefined;
}

export interface VersionMention {
  /** "3", "latest" or "previous". */
  readonly value: string;
  readonly index: number;
  /** The words around it say it is the target: "to v3", "restore v3", "back to v2". */
  readonly target: boolean;
  /** Only "back on v1" says so, which may also tell what happened ("it broke when we went back on v3, use v2"). */
  readonly weakTarget?: boolean;
  /** The words after it describe it as the bad one: "v4 is broken". */
  readonly blamed: boolean;
}

export interface NumberMention {
  readonly value: number;
  readonly index: number;
  /** The word after it ("forty six" ends one past "six"). */
  readonly end: number;
  /** The slot a unit word or keyword gave it ("4 replicas", "min 2"), if any. */
  readonly slot?: string;
  /** It followed "to": "scale to 4". */
  readonly afterTo: boolean;
}

/** A change of the current replica count: "double it" (×2), "add two replicas" (+2). */
export interface RelativeReplicas {
  readonly op: '*' | '/' | '+' | '-';
  readonly amount: number;
}

/** Everything a sentence says, before knowing which action it asks for. */
export interface Reading {
  readonly words: readonly Word[];
  /** The text the intent model reads: slot values replaced by placeholders, so names are never memorised. */
  readonly features: string;
  readonly jobIds: string[];
  readonly datasets: string[];
  readonly versions: VersionMention[];
  readonly envs: EnvMention[];
  readonly models: ModelMention[];
  readonly numbers: NumberMention[];
  readonly relative?: RelativeReplicas;
  readonly range: { min?: number; max?: number };
  readonly flags: ReadonlySet<string>;
  /** A since value as intents/nl/since-phrase.ts reads it: "24h", "7d", "today". */
  readonly since?: string;
  readonly user?: string;
  /** The actions the sentence names ("who deployed", "how do I roll back"), first first. */
  readonly actionsNamed: ActionName[];
  /**
   * The intents its cue words point to ("who cranked up the replicas" → scale), first first, in the
   * clauses that ask the audit log: what an audit asks about when no action is named. Not help
   * topics: cue typos there ("halp" is one edit from "halt") named topics nobody asked about.
   */
  readonly actionsCued: ActionName[];
  /** Actions only hinted at ("a new version", "progress"), first first: asked about when nothing names or cues one. */
  readonly actionsHinted: ActionName[];
  /** The base model of a fine-tune: "fine-tune churn from sentiment". */
  readonly base?: ModelMention;
}

const PLACEHOLDER = { model: 'zzmodel', env: 'zzenv', version: 'zzver', number: 'zznum', job: 'zzjob', dataset: 'zzdata' } as const;
const DATASET_EXTENSION = /\.(csv|tsv|json|jsonl|parquet)$/i;
const DATASET_CHARS = /^[A-Za-z0-9_./@+-]+$/;
/**
 * Folders datasets are kept in: a slash path without a file extension is a dataset only under one
 * of these ("data/q3"), from the work directory ("./q3/new") or several folders deep; "precision/recall",
 * "train/val" and "and/or" are words.
 */
const DATASET_FOLDERS: ReadonlySet<string> = new Set([
  'data', 'datasets', 'dataset', 'corpus', 'corpora', 'exports', 'labels', 'splits', 'holdout', 'raw', 'processed', 'samples', 'eval', 'evals',
]);
const MODEL_AT_VERSION = /^([a-z0-9][-a-z0-9]*)[:@](v?\d{1,9}|latest|previous)$/i;
const V_NUMBER = /^v\.?(\d{1,9})$/i;
const TIMES = /^(?:x(\d{1,2})|(\d{1,2})x)$/i;
const LATEST_WORDS: ReadonlySet<string> = new Set(['latest', 'newest', 'freshest']);
const PREVIOUS_WORDS: ReadonlySet<string> = new Set(['previous', 'prior', 'older']);
const COMPARED_WITH: ReadonlySet<string> = new Set(['than', 'against', 'vs', 'versus']);
/** What a bound on a number may be about other than replicas: "p99 should not exceed 40". */
const METRIC_WORDS: ReadonlySet<string> = new Set(['latency', 'p50', 'p90', 'p95', 'p99', 'cpu', 'memory', 'mem', 'ram', 'cost', 'costs', 'errors', 'error', 'qps', 'rps', 'load', 'utilisation', 'utilization', 'budget']);
/** Words before "by N" that make it a change of the count: "trim fraud by 2", "scale up by 3". */
const FEWER_BY: ReadonlySet<string> = new Set(['down', 'trim', 'cut', 'reduce', 'lower', 'shrink', 'decrease', 'drop', 'remove', 'shed']);
const MORE_BY: ReadonlySet<string> = new Set(['up', 'increase', 'raise', 'grow', 'bump', 'add', 'boost']);
const VERSION_KEYS: ReadonlySet<string> = new Set(['version', 'ver', 'v', 'revision', 'rev']);
const BLAME_WORDS: ReadonlySet<string> = new Set([
  'is', 'broke', 'broken', 'misbehaving', 'bad', 'buggy', 'failing', 'crashing', 'causing', 'throwing', 'sucks', 'wrong', 'tanked',
  'leaks', 'leaking', 'crashes', 'fails', 'breaks', 'regressed', 'hangs', 'keeps',
]);
/** "back out churn v1", "yank v4": the version after these is the one taken away, not the one wanted. */
const REMOVAL_VERBS: ReadonlySet<string> = new Set(['backout', 'yank', 'yanked', 'pull', 'unship', 'unrelease', 'retract']);
const TARGET_WORDS: ReadonlySet<string> = new Set(['to', 'restore', 'onto', 'use']);
/** "v6 is approved", "how good v8 is": an "is" that praises the version, or ends the sentence, does not blame it. */
const PRAISE_WORDS: ReadonlySet<string> = new Set([
  'approved', 'ready', 'good', 'great', 'fine', 'green', 'better', 'stable', 'working', 'ok', 'okay', 'validated', 'signed', 'done',
  'green-lit', 'greenlit', 'cleared', 'blessed', 'vetted', 'verified', 'safe',
  'solid', 'passing', 'tested', 'out', 'trained', 'finished', 'here', 'available', 'the', 'now', 'much', 'way',
  // what ends a sentence after "is" in chat: "how good v8 is thx"
  'thx', 'thanks', 'ty', 'please', 'pls', 'asap', 'right', 'when',
]);
const ENV_NOUNS: ReadonlySet<string> = new Set(['env', 'environment', 'cluster']);
/** Words between a count and its unit: "40 hyperparameter combinations", "5 different settings". */
const UNIT_ADJECTIVES: ReadonlySet<string> = new Set(['hyperparameter', 'different', 'random', 'new', 'tuning', 'training', 'audit', 'recent', 'more']);
/** Synonyms that mean an environment wherever they stand ("route preprod traffic …"); "live" or "stage" need a cue. */
const UNMISTAKABLE_ENV_WORDS: ReadonlySet<string> = new Set(['production', 'prd', 'stg', 'preprod', 'pre-prod', 'devel']);
/** Words after which "live" is where something broke or is patched. */
const BREAKS_LIVE: ReadonlySet<string> = new Set(['broke', 'broken', 'crashed', 'crashing', 'failing', 'erroring', 'hotfix', 'hotfixed', 'hotfixing', 'patch']);

interface EnvTable {
  /** Configured names and aliases, recognised anywhere. */
  readonly configured: Map<string, string>;
  /** Synonyms, recognised only where an environment is expected. */
  readonly synonyms: Map<string, string>;
  readonly all: string[];
}

function envTable(environments: SlotReaderContext['environments']): EnvTable {
  const configured = new Map<string, string>();
  for (const env of environments) {
    configured.set(env.name.toLowerCase(), env.name);
    for (const alias of env.aliases) configured.set(alias.toLowerCase(), env.name);
  }
  const synonyms = new Map<string, string>();
  for (const env of environments) {
    for (const word of ENV_SYNONYMS[env.name.toLowerCase()] ?? []) if (!configured.has(word)) synonyms.set(word, env.name);
  }
  return { configured, synonyms, all: [...configured.keys(), ...synonyms.keys()] };
}

/**
 * Reads slot values out of a sentence: job ids, dataset paths, versions, numbers (digits and
 * words), replica changes, environments (names, aliases, synonyms, typos) and model names
 * (from the registry, fuzzily, or guessed from the sentence's shape). Built once per context.
 */
export function createSlotReader(context: SlotReaderContext): (text: string) => Reading {
  const envs = envTable(context.environments);
  const known = (context.knownModels ?? []).map((m) => m.toLowerCase());
  const knownSet = new Set(known);
  const vocabulary = context.vocabulary ?? new Set<string>();
  /** First dash-part → the only model it starts ("fraud" → fraud-detector); ambiguous parts map to undefined. */
  const parts = new Map<string, string | undefined>();
  for (const name of known) {
    for (const part of name.split('-')) {
      if (part.length < 3 || part === name || STOP_WORDS.has(part)) continue;
      parts.set(part, parts.has(part) && parts.get(part) !== name ? undefined : name);
    }
  }
  const closestEnv = rememberedClosestMatch(envs.all);
  const closestKnown = rememberedClosestMatch(known);
  const ordinary = (lower: string) =>
    STOP_WORDS.has(lower) || vocabulary.has(lower) || resolveActionWord(lower) !== undefined || envs.configured.has(lower) || envs.synonyms.has(lower);

  return (typed) => {
    // "model=churn dataset=data/x.csv epochs=25": the key and the value as words, no shell syntax.
    const text = typed.replace(KEY_VALUE, '$1 ');
    // "@dmitri": a person's handle reads as the name; that someone other than the bot is addressed is a feature.
    const words = splitWords(text).map((w) => (PERSON_HANDLE.test(w.text) && !BOT_NAMES.has(w.lower.slice(1)) ? { ...w, text: w.text.slice(1), lower: w.lower.slice(1), handle: true } : w));
    const addressesSomeone = words.some((w) => 'handle' in w);
    const used: Array<string | undefined> = new Array(words.length).fill(undefined);
    const take = (i: number, placeholder: string, end = i + 1) => {
      used[i] = placeholder;
      for (let k = i + 1; k < end; k++) used[k] = '';
    };
    const free = (i: number) => i >= 0 && i < words.length && used[i] === undefined;
    const lowerAt = (i: number) => words[i]?.lower;
    const jobIds: string[] = [];
    const datasets: string[] = [];
    const versions: VersionMention[] = [];
    const models: ModelMention[] = [];
    const numbers: NumberMention[] = [];
    const flags = new Set<string>();
    const range: { min?: number; max?: number } = {};
    let relative: RelativeReplicas | undefined;

    const versionAt = (i: number, value: string, end: number): void => {
      const before = lowerAt(i - 1);
      const before2 = lowerAt(i - 2);
      const after = lowerAt(end);
      // "back to v3", "to churn v3", "back on churn version one".
      const backOn = (before === 'on' && before2 === 'back') || (before2 === 'on' && lowerAt(i - 3) === 'back');
      // "to churn v3": the model may stand between; "to prod, v4 is broken" is another clause about another version.
      // "we fixed it in v8 so deploy that one": the fixed version is the one wanted.
      const fixedIn = before === 'in' && [before2, lowerAt(i - 3)].includes('fixed');
      const toModelVersion = before2 === 'to' && before !== undefined && !words[i - 1]!.endsClause && !envs.configured.has(before) && !envs.synonyms.has(before);
      const strongTarget = (before !== undefined && TARGET_WORDS.has(before)) || (before2 === 'back' && before === 'to') || toModelVersion || fixedIn;
      const target = strongTarget || backOn;
      // "v2 of churn leaks memory": the blame follows the model the version belongs to.
      const said = after === 'of' ? end + 2 : end;
      const blame = lowerAt(said);
      const praised = blame === 'is' && (lowerAt(said + 1) === undefined || PRAISE_WORDS.has(lowerAt(said + 1)!));
      // "deploy the previous churn to prod, not v9", "instead of v9": the version turned down.
      const refused = before === 'not' || before === 'except' || (before === 'of' && before2 === 'instead') || (before === 'than' && before2 === 'rather');
      const removed = removalBefore(words, i) || refused;
      const blamed = ((blame !== undefined && BLAME_WORDS.has(blame)) || removed) && !target && !praised;
      versions.push({ value, index: i, target, blamed, ...(target && !strongTarget ? { weakTarget: true } : {}) });
      take(i, PLACEHOLDER.version, end);
    };

    // 1. Shapes that are unmistakable on their own.
    words.forEach((word, i) => {
      if (JOB_ID_PATTERN.test(word.lower)) {
        jobIds.push(word.lower);
        take(i, PLACEHOLDER.job);
        return;
      }
      const at = MODEL_AT_VERSION.exec(word.text);
      if (at && !word.lower.startsWith('j-')) {
        const version = at[2]!.toLowerCase().replace(/^v/, '');
        models.push({ name: at[1]!.toLowerCase(), raw: at[1]!, index: i, match: knownSet.has(at[1]!.toLowerCase()) ? 'exact' : 'guess' });
        versions.push({ value: version, index: i, target: false, blamed: false });
        take(i, `${PLACEHOLDER.model} ${PLACEHOLDER.version}`);
        return;
      }
      if (looksLikeDataset(word.text)) {
        datasets.push(word.text.replace(/^\.\//, ''));
        take(i, PLACEHOLDER.dataset);
      }
    });

    // 2. Versions: v3, version 3, version three, the latest, the previous one.
    for (let i = 0; i < words.length; i++) {
      if (!free(i)) continue;
      const lower = words[i]!.lower;
      const v = V_NUMBER.exec(lower);
      if (v) {
        versionAt(i, String(Number(v[1])), i + 1);
        continue;
      }
      if (VERSION_KEYS.has(lower)) {
        const n = numberAt(words, i + 1);
        if (n && !n.article && (lower !== 'v' || /^\d/.test(lowerAt(i + 1) ?? ''))) {
          versionAt(i, String(n.value), n.end);
          continue;
        }
      }
      // "the last one we trained": the newest version, not the one before.
      const lastTrained = lower === 'last' && lowerAt(i + 1) === 'one' && ['we', 'i', 'you', 'that'].includes(lowerAt(i + 2) ?? '') && /^(?:trained|built|made|retrained|shipped)$/.test(lowerAt(i + 3) ?? '');
      if (LATEST_WORDS.has(lower) || (lower === 'most' && lowerAt(i + 1) === 'recent') || lastTrained) {
        versions.push({ value: 'latest', index: i, target: false, blamed: false });
        used[i] = lower;
        continue;
      }
      const oldOne = lower === 'old' && ['one', 'version', 'model'].includes(lowerAt(i + 1) ?? '');
      const beforeOne = lower === 'before' && ['version', 'one'].includes(lowerAt(i - 1) ?? '') && lowerAt(i - 2) === 'the';
      const lastGood = lower === 'last' && ['good', 'working', 'stable'].includes(lowerAt(i + 1) ?? '');
      if (PREVIOUS_WORDS.has(lower) || oldOne || beforeOne || lastGood) {
        // "is v12 better than the previous one", "evaluate the new X against the old one": what it is compared with, not the version meant.
        // "with" compares only in a sentence that says so ("compare v6 with the previous one"); "deploy churn with the previous version" means it.
        const comparing = words.some((w) => /^compar/.test(w.lower));
        const compared = [lowerAt(i - 1), lowerAt(i - 2)].some((w) => w !== undefined && (COMPARED_WITH.has(w) || (w === 'with' && comparing)));
        if (!compared) versions.push({ value: 'previous', index: i, target: true, blamed: false });
        used[i] = lower;
      }
    }

    // 3. Replica ranges and changes, then numbers with their units.
    for (let i = 0; i < words.length; i++) {
      if (!free(i)) continue;
      const lower = words[i]!.lower;
      const next = lowerAt(i + 1);
      // "quick one: scale fraud in prod to 11": a figure of speech, not a count.
      if (lower === 'one' && lowerAt(i - 1) === 'quick') {
        used[i] = lower;
        continue;
      }
      if (lower === 'between' || (lower === 'from' && numberAt(words, i + 1) !== undefined)) {
        const low = numberAt(words, i + 1);
        // "anywhere from 2 up to 10" is a range; "scale churn from 2 up to 10" says where the count goes.
        const upTo = low !== undefined && (lowerAt(i - 1) === 'anywhere' || /^autoscal/.test(lowerAt(i - 1) ?? '')) && lowerAt(low.end) === 'up' && lowerAt(low.end + 1) === 'to';
        const joiner = upTo ? 'up to' : low ? lowerAt(low.end) : undefined;
        const high = low && (joiner === 'and' || joiner === 'to' || joiner === '-' || upTo) ? numberAt(words, low.end + (upTo ? 2 : 1)) : undefined;
        if (low && high && !low.article && !high.article) {
          range.min = low.value;
          range.max = high.value;
          take(i, `${lower} ${PLACEHOLDER.number} ${joiner} ${PLACEHOLDER.number}`, high.end);
          if (NUMBER_UNITS.get(lowerAt(high.end) ?? '') === 'replicas') used[high.end] = lowerAt(high.end);
          continue;
        }
      }
      const keyword = lower === 'min' || lower === 'minimum' || lower === 'floor' ? 'min' : lower === 'max' || lower === 'maximum' || lower === 'ceiling' ? 'max' : undefined;
      const atLeast = (lower === 'at' && (next === 'least' || next === 'most')) ? (next === 'least' ? 'min' : 'max') : undefined;
      const bound = keyword ?? atLeast;
      if (bound) {
        // "a floor of 2": the count may follow "of".
        const n = numberAt(words, i + (atLeast || (keyword && next === 'of') ? 2 : 1));
        if (n && !n.article) {
          range[bound] = n.value;
          take(i, `${atLeast ? `at ${next}` : lower} ${PLACEHOLDER.number}`, n.end);
          continue;
        }
        // "raise the max replicas for churn on dev to 14", "lower the minimum for churn in prod to 2".
        const to = keyword ? boundSetTo(words, i) : undefined;
        if (to !== undefined) {
          range[bound] = to.value;
          used[i] = lower;
          take(to.index, PLACEHOLDER.number, to.end);
          continue;
        }
      }
      // "should never drop below 1 or go above 11", "cap churn at 8": bounds for the autoscaler, not a count.
      const limit = boundSaid(words, i);
      if (limit !== undefined) {
        const n = numberAt(words, i + 1);
        const unit = n ? NUMBER_UNITS.get(lowerAt(n.end) ?? '') : undefined;
        // "never exceed 4 gpus" bounds no replicas, nor does "p99 should not exceed 40 ms" or "latency must not go over 40".
        const bare = n !== undefined && unit === undefined && !earlierInClause(words, i, (w) => METRIC_WORDS.has(w)) && (words[n.end] === undefined || words[n.end - 1]!.endsClause || ['or', 'and', 'pods', 'replicas', ...POLITE_TAIL].includes(lowerAt(n.end) ?? ''));
        if (n && !n.article && (unit === 'replicas' || bare)) {
          range[limit] = n.value;
          take(i, `${lower} ${PLACEHOLDER.number}`, n.end);
          if (unit === 'replicas') used[n.end] = lowerAt(n.end);
          continue;
        }
      }
      const dash = /^(\d{1,4})-(\d{1,4})$/.exec(lower);
      if (dash && NUMBER_UNITS.get(next ?? '') === 'replicas') {
        range.min = Number(dash[1]);
        range.max = Number(dash[2]);
        take(i, `${PLACEHOLDER.number} to ${PLACEHOLDER.number}`);
        continue;
      }
      const times = TIMES.exec(lower);
      if (times) {
        relative = { op: '*', amount: Number(times[1] ?? times[2]) };
        take(i, 'times');
        continue;
      }
      if (lower === 'double' || lower === 'twice' || lower === 'triple' || lower === 'quadruple') {
        relative = { op: '*', amount: lower === 'triple' ? 3 : lower === 'quadruple' ? 4 : 2 };
        used[i] = lower;
        continue;
      }
      if ((lower === 'another' || (lower === 'one' && next === 'more')) && (NUMBER_UNITS.get(lowerAt(i + (lower === 'one' ? 2 : 1)) ?? '') === 'replicas')) {
        relative = { op: '+', amount: 1 };
        used[i] = lower;
        continue;
      }
      if (lower === 'halve' || (lower === 'half' && lowerAt(i - 1) === 'in')) {
        relative = { op: '/', amount: 2 };
        used[i] = lower;
        continue;
      }
      if (lower === 'add' || lower === 'remove' || lower === 'drop' || lower === 'shed' || lower === 'by') {
        const n = numberAt(words, i + 1) ?? (lowerAt(i + 1) === 'one' ? numberAt(words, i + 1) : undefined);
        const unit = n ? NUMBER_UNITS.get(lowerAt(n.end) === 'more' || lowerAt(n.end) === 'extra' ? (lowerAt(n.end + 1) ?? '') : (lowerAt(n.end) ?? '')) : undefined;
        if (n && (lower === 'by' || unit === 'replicas' || unit === undefined)) {
          // The nearest direction word before "by" in its clause: "to reduce latency, scale churn up by 2" adds.
          let said: string | undefined;
          for (let k = i - 1; k >= 0 && said === undefined && !words[k]!.endsClause; k--) if (FEWER_BY.has(words[k]!.lower) || MORE_BY.has(words[k]!.lower)) said = words[k]!.lower;
          const direction = lower === 'by' ? (said !== undefined && FEWER_BY.has(said) ? '-' : '+') : lower === 'add' ? '+' : '-';
          if (lower !== 'by' || said !== undefined) {
            // "scale up churn in prod, add three": a bare count that ends the request, after a scaling word.
            const endsRequest = words[n.end] === undefined || words[n.end - 1]!.endsClause || POLITE_TAIL.includes(lowerAt(n.end) ?? '');
            const scaling = (lower === 'add' || lower === 'remove') && unit === undefined && endsRequest && words.slice(0, i).some((w) => w.lower === 'scale' || w.lower === 'replicas');
            if (lower === 'by' || unit === 'replicas' || scaling) {
              relative = { op: direction, amount: n.value };
              take(i, `${lower} ${PLACEHOLDER.number}`, n.end);
              continue;
            }
          }
        }
      }
      const n = numberAt(words, i);
      if (n === undefined) continue;
      const unitAt = lowerAt(n.end) === 'more' || lowerAt(n.end) === 'extra' || lowerAt(n.end) === 'fewer' || lowerAt(n.end) === 'less' || UNIT_ADJECTIVES.has(lowerAt(n.end) ?? '') ? n.end + 1 : n.end;
      // "spin up 2 more churn replicas": the model's name may stand between the count and its unit.
      const unitWord = NUMBER_UNITS.has(lowerAt(unitAt) ?? '') || !NUMBER_UNITS.has(lowerAt(unitAt + 1) ?? '') || unitAt === n.end ? lowerAt(unitAt) : lowerAt(unitAt + 1);
      // "epochs 18, gpus one": a unit after the clause's end belongs to the next count.
      const unit = words[n.end - 1]!.endsClause ? undefined : (NUMBER_UNITS.get(unitWord ?? '') ?? (SINCE_UNITS.has(unitWord ?? '') ? 'since' : undefined));
      const changeWord = lowerAt(n.end);
      if (unit === 'replicas' && (changeWord === 'more' || changeWord === 'extra' || changeWord === 'fewer' || changeWord === 'less')) {
        const before = lowerAt(i - 1);
        const sign = changeWord === 'fewer' || changeWord === 'less' || before === 'remove' ? '-' : '+';
        relative = { op: sign, amount: n.value };
        take(i, `${PLACEHOLDER.number} ${changeWord}`, n.end + 1);
        continue;
      }
      // "take two replicas off", "take 3 pods away": fewer, not two.
      const away = lowerAt(n.end + 1);
      if (unit === 'replicas' && unitWord === lowerAt(n.end) && (away === 'off' || away === 'away')) {
        relative = { op: '-', amount: n.value };
        take(i, `${PLACEHOLDER.number} ${unitWord} ${away}`, n.end + 2);
        continue;
      }
      // "churn prod down a pod": one fewer (or more, "up a replica").
      if (n.article && unit === 'replicas' && (lowerAt(i - 1) === 'down' || lowerAt(i - 1) === 'up')) {
        relative = { op: lowerAt(i - 1) === 'down' ? '-' : '+', amount: 1 };
        take(i, 'a');
        continue;
      }
      // "a tuning pass", "a few runs": an article is no count of epochs or trials.
      if (n.article && (unit === undefined || unit === 'epochs' || unit === 'trials' || unit === 'since')) continue;
      if (n.article && unit !== undefined && lowerAt(i - 1) === 'remove' && unit === 'replicas') {
        relative = { op: '-', amount: 1 };
        take(i, 'a');
        continue;
      }
      if (unit === 'gpus' && n.article) {
        flags.add('gpu');
        continue;
      }
      const afterTo = lowerAt(i - 1) === 'to' || (lowerAt(i - 1) === 'down' && lowerAt(i - 2) === 'to');
      const previous = lowerAt(i - 1);
      const keySlot = previous === 'epochs' || previous === 'epoch' ? 'epochs' : previous === 'gpus' || previous === 'gpu' ? 'gpus' : previous === 'trials' ? 'trials' : previous === 'replicas' ? 'replicas' : undefined;
      numbers.push({ value: n.value, index: i, end: n.end, ...(unit ?? keySlot ? { slot: unit ?? keySlot } : {}), afterTo });
      take(i, n.article ? 'a' : PLACEHOLDER.number, n.end);
    }

    // 4. Words that set a switch of some action.
    for (let i = 0; i < words.length; i++) {
      const lower = words[i]!.lower;
      const next = lowerAt(i + 1);
      if ((lower === 'gpu' || lower === 'gpus') && free(i)) {
        const before = lowerAt(i - 1);
        if (before === 'no' || before === 'without' || (before === 'a' && (lowerAt(i - 2) === 'without' || lowerAt(i - 2) === 'no'))) flags.add('cpu');
        else if (before === 'the' || before === 'a' || before === 'on') flags.add('gpu');
      }
      if (lower === 'cpu' || lower === 'cpus' || lower === 'cpu-only') flags.add('cpu');
      if (lower === 'incremental' || lower === 'incrementally' || ((lower === 'continue' || lower === 'keep') && next === 'training') || (lower === 'on' && next === 'top' && lowerAt(i + 2) === 'of')) flags.add('incremental');
      if (goesOnFromTheWeights(words, i)) flags.add('incremental');
      if (((lower === 'scratch' || lower === 'zero') && lowerAt(i - 1) === 'from' && (lower === 'scratch' || earlierInClause(words, i, (w) => TRAIN_WORDS.has(w)))) || startsAfresh(words, i)) {
        flags.add('scratch');
        // "start fresh" names no model "fresh".
        if (lower === 'fresh' && free(i)) used[i] = lower;
      }
      if (lower === 'mlp' || (lower === 'neural' && (next === 'network' || next === 'net')) || (['multilayer', 'multi-layer'].includes(lower) && next === 'perceptron')) flags.add('mlp');
      // "a full retrain", "full training run": from scratch.
      if (lower === 'full' && ['retrain', 'retraining', 'training', 'train', 'rebuild'].includes(next ?? '')) flags.add('scratch');
      if (lower === 'softmax' || (lower === 'logistic' && next === 'regression') || lower === 'linear') flags.add('softmax');
      if (lower === 'bayes' || lower === 'bayesian' || lower === 'bayes-tune' || lower === 'bayesopt') flags.add('bayes');
      if (lower === 'grid' || lower === 'grid-search' || lower === 'gridsearch') flags.add('grid');
      if (['verify', 'integrity', 'tamper', 'tampered', 'tampering', 'intact', 'chain', 'untampered', 'unaltered', 'unedited'].includes(lower)) {
        flags.add('verify');
        if (free(i)) used[i] = lower;
      }
      if (logTamperedWith(words, i)) flags.add('verify');
    }

    // 5. Environments: configured names and aliases anywhere; synonyms and typos where one is expected.
    const envMentions: EnvMention[] = [];
    for (let i = 0; i < words.length; i++) {
      if (!free(i)) continue;
      const word = words[i]!;
      const before = lowerAt(i - 1);
      const cued = (before !== undefined && ENV_CUES.has(before)) || ENV_NOUNS.has(lowerAt(i + 1) ?? '') || before === 'the' && ENV_NOUNS.has(lowerAt(i + 1) ?? '');
      let name = envs.configured.get(word.lower);
      let fuzzy = false;
      // "churn broke live", "hotfix live with fraud v2": live after these is production ("go live" stays a deploy's wording).
      const liveThere = word.lower === 'live' && before !== undefined && BREAKS_LIVE.has(before) && !words[i - 1]!.endsClause;
      if (name === undefined && (cued || liveThere || UNMISTAKABLE_ENV_WORDS.has(word.lower))) name = envs.synonyms.get(word.lower);
      if (name === undefined && word.lower.length >= 3 && /^[a-z-]+$/.test(word.lower) && !ordinary(word.lower) && !knownSet.has(word.lower)) {
        if (word.lower.length >= 4 || cued) {
          const near = closestEnv(word.lower);
          if (near !== undefined) {
            name = envs.configured.get(near) ?? envs.synonyms.get(near);
            fuzzy = true;
          }
        }
      }
      if (name === undefined) continue;
      envMentions.push({ name, raw: word.text, index: i, fuzzy, before });
      take(i, PLACEHOLDER.env);
      if (ENV_NOUNS.has(lowerAt(i + 1) ?? '')) used[i + 1] = lowerAt(i + 1);
    }

    // 6. Model names: the registry's (exact, a unique part, two words joined, a typo), else guessed from the shape.
    for (let i = 0; i < words.length; i++) {
      if (!free(i)) continue;
      const lower = words[i]!.lower.replace(/_/g, '-');
      const joined = free(i + 1) ? `${lower}-${lowerAt(i + 1)}` : undefined;
      if (joined !== undefined && knownSet.has(joined)) {
        models.push({ name: joined, raw: `${words[i]!.text} ${words[i + 1]!.text}`, index: i, match: 'exact' });
        take(i, PLACEHOLDER.model, i + 2);
        continue;
      }
      if (knownSet.has(lower)) {
        models.push({ name: lower, raw: words[i]!.text, index: i, match: 'exact' });
        take(i, PLACEHOLDER.model);
        continue;
      }
      if (!MODEL_NAME_PATTERN.test(lower) || ordinary(lower)) continue;
      const part = parts.get(lower);
      if (part !== undefined) {
        models.push({ name: part, raw: words[i]!.text, index: i, match: 'partial' });
        take(i, PLACEHOLDER.model);
        continue;
      }
      if (lower.length >= 4 && known.length > 0) {
        const near = closestKnown(lower);
        if (near !== undefined) {
          models.push({ name: near, raw: words[i]!.text, index: i, match: 'fuzzy' });
          take(i, PLACEHOLDER.model);
        }
      }
    }
    // "test mood v12 on the new labelled set": beside a name typed right, a word only near another name ("labeler")
    // is an ordinary word, unless the sentence lists names ("roll back fraud and chrun"). Only a word the data has:
    // "deploy fruad v2, churn is fine" still means fraud (and asks which).
    if (models.some((m) => m.match === 'exact' || m.match === 'partial')) {
      for (const mention of models.filter((m) => m.match === 'fuzzy' && vocabulary.has(words[m.index]!.lower) && !listedBeside(words, m.index))) {
        models.splice(models.indexOf(mention), 1);
        used[mention.index] = undefined;
      }
    }
    /** A free word that may be a person's first name: letters only, and no word of the data's kinds (a cue, a command, an environment, a unit). */
    const mayBeName = (i: number): boolean => {
      const word = words[i];
      if (word === undefined || !free(i) || !/^[a-z]{2,20}$/i.test(word.text) || NOT_PEOPLE.has(word.lower) || NOT_A_NAME.has(word.lower)) return false;
      if (envs.configured.has(word.lower) || envs.synonyms.has(word.lower) || NUMBER_UNITS.has(word.lower) || SINCE_UNITS.has(word.lower)) return false;
      // Only a cue as typed or inflected rules a name out: "alice" is one edit from "alive", and a name.
      return resolveActionWord(word.lower) === undefined && exactCueOf(word.lower) === undefined && !/ly$/.test(word.lower);
    };
    const user = userOf(words, mayBeName);
    // The model reads a person as a placeholder, as it reads a model's name: it learns "what did <someone> do", not the names.
    const userAt = user === undefined ? -1 : words.findIndex((w, i) => free(i) && w.text === user);
    if (userAt >= 0) used[userAt] = 'zzuser';
    if (models.length === 0) {
      /** Each candidate's first index and how strongly the sentence's shape says it is a name. */
      const guesses = new Map<string, { index: number; strength: number }>();
      for (let i = 0; i < words.length; i++) {
        if (!free(i)) continue;
        const lower = words[i]!.lower;
        // Ordinary words of the data may still be names here ("reviews", "priority"), but never stop words, commands or environments.
        if (!MODEL_NAME_PATTERN.test(lower) || STOP_WORDS.has(lower) || resolveActionWord(lower) !== undefined || /^\d+$/.test(lower) || lower.length < 2) continue;
        if (envs.configured.has(lower) || envs.synonyms.has(lower) || CUE_WORDS.has(lower) || BOT_NAMES.has(lower)) continue;
        // Openers and words of blame say how, not what: "btw v2 of X leaks", "X broke live".
        if (OPENERS.has(lower) || BLAME_WORDS.has(lower) || AFTER_DID.has(lower) || MODEL_PARTS.has(lower)) continue;
        // Nouns that count things ("scale events", "log of actions"), a person's name, and, with a
        // registry to say what the names are, any word of the training sentences ("who changed prod").
        if (NUMBER_UNITS.has(lower) || SINCE_UNITS.has(lower) || lower === user?.toLowerCase()) continue;
        if (vocabulary.has(lower) && (known.length > 0 || /(?:ed|ing|ions?|s)$/.test(lower) && !/[-\d]/.test(lower) && NOT_NAMES.test(lower))) continue;
        const next = lowerAt(i + 1);
        const before = lowerAt(i - 1);
        const before2 = lowerAt(i - 2);
        const nameLike = /[-\d]/.test(lower) && !vocabulary.has(lower) && !/^\d+(?:am|pm|h|m|s|d|x|k|%)$/.test(lower);
        // "deploy X", "scale down X", "rolback X" (a verb's typo), "roll back the X".
        // "pick up training X", "keep training X": training as a verb.
        const trainingIt = before === 'training' && before2 !== undefined && TRAINING_GOES_ON.has(before2);
        const afterVerb =
          before !== undefined &&
          (MODEL_VERBS.has(before) || MORE_MODEL_VERBS.has(before) || before === 'model' || trainingIt || (cueOf(before, vocabulary) !== undefined && free(i - 1) && !CUE_NOUNS.has(before)));
        // "how accurate is X?", "how good is X really", "is X ok": the subject of a question about a model.
        const questioned = before === 'is' && (lowerAt(0) === 'how' || lowerAt(0) === 'is') && i <= 4 && !vocabulary.has(lower);
        const afterVerbParticle = before2 !== undefined && (MODEL_VERBS.has(before2) || cueOf(before2, vocabulary) !== undefined) && ['down', 'up', 'out', 'back', 'the', 'new', 'over'].includes(before ?? '');
        const beforeSlot = next !== undefined && (used[i + 1] === PLACEHOLDER.version || used[i + 1] === PLACEHOLDER.env || ((next === 'in' || next === 'on') && used[i + 2] === PLACEHOLDER.env));
        const shaped =
          MODEL_NOUNS.has(next ?? '') ||
          beforeSlot ||
          afterVerb ||
          (afterVerbParticle && (nameLike || !vocabulary.has(lower))) ||
          questioned ||
          (i >= 2 && before2 === 'the' && ['new', 'latest', 'old', 'previous', 'newest', 'current'].includes(before ?? '')) ||
          (before2 === 'most' && before === 'recent') ||
          nameLike;
        if (!shaped) continue;
        const strength = (nameLike ? 4 : 0) + (afterVerb || afterVerbParticle || questioned ? 2 : 0) + (beforeSlot ? 2 : 0) + (MODEL_NOUNS.has(next ?? '') ? 1 : 0) + (vocabulary.has(lower) ? 0 : 1);
        const seen = guesses.get(lower);
        if (seen === undefined || seen.strength < strength) guesses.set(lower, { index: seen?.index ?? i, strength });
      }
      // Without a registry two guesses are not two models: the one the sentence's shape points at most
      // clearly is the name ("compute metrics for toxic-chat v2"); only an even tie stays ambiguous.
      const strongest = Math.max(0, ...[...guesses.values()].map((g) => g.strength));
      for (const [name, guess] of guesses) if (guess.strength < strongest) guesses.delete(name);
      for (const [name, { index }] of guesses) {
        models.push({ name, raw: words[index]!.text, index, match: 'guess' });
        // With a registry, a name it lacks is more often an ordinary word ("a rollback strategy"):
        // the model reads the word itself, and the name is still there to be reported as unknown.
        take(index, known.length > 0 ? words[index]!.lower : PLACEHOLDER.model);
      }
    }
    let base: ModelMention | undefined;
    if (models.length === 2) {
      const second = models[1]!;
      const cue = lowerAt(second.index - 1);
      const cue2 = `${lowerAt(second.index - 2)} ${cue}`;
      if ((cue === 'from' || cue2 === 'based on' || cue2 === 'starting from' || cue2 === 'start from') && second.name !== 'scratch') {
        base = second;
        models.pop();
      }
    }

    // "turn churn off in dev", "switch off churn", "turn it off": no replicas; not "switch off the autoscaler", "who turned churn off".
    for (let i = 0; i < words.length; i++) {
      const off = lowerAt(i + 1) === 'off' ? i + 2 : lowerAt(i + 2) === 'off' ? i + 1 : -1;
      const model = off >= 0 && (models.some((m) => m.index === off) || lowerAt(off) === 'it' || lowerAt(off) === 'them');
      if (OFF_VERBS.has(words[i]!.lower) && model && !ASKED_WHO.has(lowerAt(i - 1) ?? '')) numbers.push({ value: 0, index: i, end: i + 1, slot: 'replicas', afterTo: true });
    }

    // 7. What audits and help ask about.
    const actionsNamed: ActionName[] = [];
    for (let i = 0; i < words.length; i++) {
      // "who rolled churn back", "who put it back", "who pushed fraud out": the particle after the name.
      // "who swapped ratings back", "who let urgency out the door", "who dialed digest down", "who put toxic-chat live".
      const particle = lowerAt(i + 2) ?? '';
      const verb = words[i]!.lower;
      const split =
        BACK_VERBS.has(verb) && particle === 'back' ? 'rollback'
        : OUT_VERBS.has(verb) && particle === 'out' ? 'deploy'
        : verb === 'put' && particle === 'live' ? 'deploy'
        : DIAL_VERBS.has(verb) && (particle === 'down' || particle === 'up') ? 'scale'
        : verb === 'numbers' && lowerAt(i - 1) === 'the' && ['ran', 'run', 'running', 'crunched'].includes(lowerAt(i - 2) ?? '') ? 'evaluate'
        : undefined;
      if (split && !actionsNamed.includes(split)) actionsNamed.push(split);
      const said = placedInEnv(words, i, envMentions) ? 'deploy' : asksWhatRuns(words, i) ? 'status' : undefined;
      if (said && !actionsNamed.includes(said)) actionsNamed.push(said);
      const two = `${words[i]!.lower} ${lowerAt(i + 1) ?? ''}`;
      const hit = MENTIONED_ACTIONS.get(two) ?? MENTIONED_ACTIONS.get(words[i]!.lower);
      // "how do I ask who deployed something": asking who did it is the audit log's question.
      if (hit && lowerAt(i - 1) === 'who' && !actionsNamed.includes('audit')) actionsNamed.push('audit');
      if (hit && !actionsNamed.includes(hit)) actionsNamed.push(hit);
    }
    const actionsHinted = mentionsIn(words, HINTED_ACTIONS);
    const since = sinceOf(words);

    const cues = cuesOf(words, used, vocabulary);
    const kinds = slotKindsOf(used, relative !== undefined || range.min !== undefined || range.max !== undefined);
    const features = [
      ...words.map((word, i) => (used[i] === undefined ? word.lower : used[i])).filter((w) => w !== ''),
      ...(text.includes('?') ? ['?'] : []),
      ...cues,
      ...shapeOf(text, words, used),
      ...(addressesSomeone ? ['zzhandle'] : []),
      ...versionShape(words, versions),
      // Training and search options ("with a neural network", "bayesian", "from scratch") are said only to the bot.
      ...[...flags].sort().map((flag) => `zzflag${flag}`),
      // The kinds of slot named together: a model and an environment make a request likely whatever
      // the other words ("double it"); only a time ("the deploy meeting is at 3") makes chatter likely.
      `zzwith${kinds}`,
    ].join(' ') || text.trim().toLowerCase() || 'zzempty';
    return {
      words,
      features,
      jobIds,
      datasets,
      versions,
      envs: envMentions,
      models,
      numbers,
      ...(relative ? { relative } : {}),
      range,
      flags,
      ...(since ? { since } : {}),
      ...(user ? { user } : {}),
      actionsNamed,
      actionsCued: cuedInAuditClause(words, used, vocabulary),
      actionsHinted,
      ...(base ? { base } : {}),
    };
  };
}

/** Verbs whose particle after the model says the action: "who swapped X back", "who let X out", "who dialed X down". */
const BACK_VERBS: ReadonlySet<string> = new Set(['rolled', 'roll', 'rolling', 'put', 'swapped', 'switched', 'flipped', 'moved', 'brought']);
const OUT_VERBS: ReadonlySet<string> = new Set(['pushed', 'rolled', 'put', 'let', 'sent']);
const DIAL_VERBS: ReadonlySet<string> = new Set(['dialed', 'dialled', 'turned', 'cranked', 'wound']);
/** Cues that are nouns, not verbs: the word after them is no name ("the queue of jobs"). */
const CUE_NOUNS: ReadonlySet<string> = new Set(['queue', 'jobs', 'progress', 'history', 'log', 'trail', 'activity', 'accuracy', 'metrics', 'performance', 'loss', 'curve', 'curves', 'chart', 'graph', 'plot', 'commands', 'usage', 'syntax', 'instructions', 'status', 'replicas', 'replica', 'instances', 'pods', 'precision', 'recall', 'f1', 'help', 'training']);
const BOT_NAMES: ReadonlySet<string> = new Set(['opsbot', 'bot']);
const PERSON_HANDLE = /^@[a-z][a-z0-9._-]{1,30}$/i;
const KEY_VALUE = /(?<=^|[\s,;(])(model|dataset|data|epochs|gpus|trials|replicas|min|max|env|environment|version|mode|method|algorithm|job)[=:](?=\S)/gi;
/** Adjectives before a model's noun and the parts of a model: "the current weights" name no model "current" or "weights". */
const MODEL_PARTS: ReadonlySet<string> = new Set(['current', 'existing', 'original', 'whole', 'entire', 'weights', 'checkpoint', 'checkpoints']);
/** Words before "training" that make it a verb: "pick up training X", "keep training X". */
const TRAINING_GOES_ON: ReadonlySet<string> = new Set(['up', 'continue', 'keep', 'resume', 'start', 'stop', 'finish']);
/** Words before a model's name besides the command verbs: what was done to it, and how it is judged. */
const MORE_MODEL_VERBS: ReadonlySet<string> = new Set([
  'deployed', 'trained', 'retrained', 'scaled', 'tuned', 'evaluated', 'quantized', 'released', 'shipped', 'promoted', 'reverted',
  'touched', 'changed', 'restarted', 'grade', 'score', 'check', 'inspect', 'monitor', 'through', 'about', 'describe', 'redeploy',
]);
/** One marker per intent cue among the free words ("zzcuetune"), typos of cues included. */
function cuesOf(words: readonly Word[], used: ReadonlyArray<string | undefined>, vocabulary: ReadonlySet<string>): string[] {
  const cues: string[] = [];
  words.forEach((word, i) => {
    if (used[i] !== undefined) return;
    const intent = cueOf(word.lower, vocabulary);
    if (intent !== undefined) cues.push(`zzcue${intent}`);
    // "precision/recall", "loss/accuracy": words joined by a slash (no dataset path) are cues each.
    else if (/^[a-z0-9-]+(?:\/[a-z0-9-]+)+$/.test(word.lower)) {
      for (const part of word.lower.split('/')) {
        const partIntent = cueOf(part, vocabulary);
        if (partIntent !== undefined) cues.push(`zzcue${partIntent}`);
      }
    }
    // "who trained fraud?", "who rolled it back": asking who did an action is asking the audit log.
    const after = words[i + 1];
    if (word.lower === 'who' && after !== undefined && used[after.index] === undefined && (cueOf(after.lower, vocabulary) !== undefined || ACTION_MENTIONS.some(([phrase]) => phrase.split(' ')[0] === after.lower))) cues.push('zzcueaudit');
    // Phrases of free words: "shut down", "tell me about".
    for (const length of [2, 3]) {
      const span = words.slice(i, i + length);
      if (span.length < length || span.some((w) => used[w.index] !== undefined)) break;
      const phrase = CUE_WORDS.get(span.map((w) => w.lower).join(' '));
      if (phrase !== undefined) cues.push(`zzcue${phrase}`);
    }
  });
  return cues;
}

/** ACTION_MENTIONS and ACTION_HINTS by phrase (each phrase points to one action). */
const MENTIONED_ACTIONS: ReadonlyMap<string, ActionName> = new Map(ACTION_MENTIONS);
const HINTED_ACTIONS: ReadonlyMap<string, ActionName> = new Map(ACTION_HINTS);

/** The actions a table's one- and two-word phrases point to, in the order the sentence says them. */
function mentionsIn(words: readonly Word[], table: ReadonlyMap<string, ActionName>): ActionName[] {
  const found: ActionName[] = [];
  for (let i = 0; i < words.length; i++) {
    const hit = table.get(`${words[i]!.lower} ${words[i + 1]?.lower ?? ''}`) ?? table.get(words[i]!.lower);
    if (hit && !found.includes(hit)) found.push(hit);
  }
  return found;
}

/** Words that ask the audit log: the clause they are in says what kind of action is asked about. */
const AUDIT_ASKS: ReadonlySet<string> = new Set(['who', 'whom', "who's", 'whos', 'audit', 'log', 'logs', 'history', 'trail', 'activity', 'records', 'entries', 'did']);

/**
 * Intents cued in the clauses that ask the audit log ("who nuked the sweep"), for an audit's action
 * filter when no action is named; a cue in another clause ("audit log for churn, accuracy dropped") is no filter.
 */
function cuedInAuditClause(words: readonly Word[], used: ReadonlyArray<string | undefined>, vocabulary: ReadonlySet<string>): ActionName[] {
  const clauses: number[] = [];
  let clause = 0;
  for (const word of words) {
    clauses.push(clause);
    if (word.endsClause) clause++;
  }
  // A sentence of one clause is the question itself ("any kills today?").
  const single = clauses.every((c) => c === 0);
  const asked = new Set(single ? [0] : words.filter((w) => AUDIT_ASKS.has(w.lower)).map((w) => clauses[w.index]!));
  const cuedWhere = (inClause: (clause: number) => boolean, word: (w: Word) => boolean): ActionName[] => {
    const cued: ActionName[] = [];
    for (const w of words) {
      if (used[w.index] !== undefined || !inClause(clauses[w.index]!) || !word(w)) continue;
      const intent = cueOf(w.lower, vocabulary) as ActionName | undefined;
      if (intent !== undefined && !cued.includes(intent)) cued.push(intent);
    }
    return cued;
  };
  const inAsked = cuedWhere((c) => asked.has(c), () => true);
  // "the replicas were cranked up overnight. check the audit trail": a verb of another clause, when the asking one has no cue.
  return inAsked.length > 0 ? inAsked : cuedWhere((c) => !asked.has(c), (w) => !CUE_NOUNS.has(w.lower));
}

const NOT_PEOPLE: ReadonlySet<string> = new Set(
  `i me you we they he she it people folks someone somebody anyone anybody everyone everybody nobody the a an this that my our your
  their his her its what which who whom whose when where why how and or but is are was were be been to of in on at for with
  from by all any some each every team users anything something everything nothing
  finance marketing sales legal security product support platform infra ops sre qa data ml kubernetes k8s jenkins ci cd argo airflow
  terraform github gitlab cron`.split(/\s+/).filter(Boolean),
);
const USER_VERBS: ReadonlySet<string> = new Set(['change', 'touch', 'break', 'run', 'ship', 'launch', 'kill', 'stop', 'start', 'modify', 'push', 'nuke', 'scrap', 'abort', 'axe', 'revert', 'restore', 'retrain', 'promote']);

/**
 * Words of other tools people type in the same channels ("kubectl rollout undo", "helm rollback",
 * "how do i quantize with onnxruntime"): opsbot runs none of them.
 */
const OTHER_TOOLS: ReadonlySet<string> = new Set(
  `kubectl k9s helm git gh github gitlab docker docker-compose podman terraform pulumi ansible npm npx yarn pnpm pip pip3 python python3
  conda poetry aws gcloud gsutil az heroku argocd argo serverless fly vercel netlify mlflow airflow wandb ray dvc slurm scancel squeue
  sbatch srun cargo pytest jenkins circleci systemctl journalctl pkill killall sudo apt apt-get brew curl wget ssh scp rsync ls cd rm
  mkdir echo cat grep nvidia-smi htop jupyter psql mysql redis-cli tableau metabase looker grafana datadog sentry sagemaker vertex
  bentoml seldon kserve kubeflow jira confluence notion excel sheets pytorch tensorflow keras tensorrt onnxruntime matplotlib pandas
  sklearn scikit-learn huggingface transformers spark databricks snowflake bigquery vim emacs vscode zoom teams outlook`.split(/\s+/).filter(Boolean),
);
/** Sentences about a concept rather than a request: "what is a rollback strategy", "how does grid search work". */
const CONCEPT_START = /^(?:what(?:'s| is| are| does)(?: an?| the)? |whats (?:an? )?|define |explain |why (?:do|does|is|are) |how (?:does|do) (?!i |we |you )|is it (?:true|bad|ok) |should (?:i|we) )/;

/**
 * Markers of a sentence's shape the model reads beside its words: whether any slot was found,
 * another tool's name or shell syntax, a question about a concept. Each holds across wordings,
 * so what the model learns for one sentence carries to sentences no template has.
 */
function shapeOf(text: string, words: readonly Word[], used: ReadonlyArray<string | undefined>): string[] {
  const shape: string[] = [];
  // A person is no slot of a request: "what did finance deploy" names nothing opsbot acts on.
  shape.push(used.some((u) => u !== undefined && u.startsWith('zz') && u !== 'zzuser') ? 'zzslots' : 'zznoslots');
  if (words.some((w) => OTHER_TOOLS.has(w.lower))) shape.push('zztool');
  if (/(?:^|\s)--?[a-z][\w-]*(?:=|\s|$)|(?:^|\s)\.{0,2}\/[\w.-]|\w=\S/i.test(text)) shape.push('zzshell');
  const start = words.slice(0, 8).map((w) => w.lower).join(' ').replace(/^(?:@?opsbot|hey|so|ok|btw|fyi|hmm|quick one) /, '');
  if (CONCEPT_START.test(`${start} `)) shape.push('zzconcept');
  if (words.length <= 2) shape.push('zzshort');
  // Opinions and recollections borrow the action's verb without asking for it ("my take: quantizing X isn't
  // worth it", "last month we had to revert X twice"); the model weighs these against the cues.
  const lower = text.toLowerCase();
  if (OPINION.test(start) || OPINION_ANYWHERE.test(lower)) shape.push('zzopinion');
  if (RECALLED.test(lower) || DONE_ALREADY.test(lower)) shape.push('zzpast');
  // Told not to, or only wondered about: "no need to evaluate X", "hold off on quantizing X", "would it be crazy to scale X down".
  if (DENIED.test(lower)) shape.push('zzdenied');
  if (WONDERED.test(lower)) shape.push('zzwondered');
  // Someone else's plan: "ari will deploy X once the review is signed off", "mei's going to evaluate X".
  if (OTHERS_PLAN.test(start) && !/^(?:(?:i|you|we|u)(?:'ll|'m|'re|'d)?|opsbot|bot|pls|please|can|could|would)\b/.test(start)) shape.push('zzothers');
  // Pasted output and results: "[ci] step 4/7: deploy X:v6 -> staging ... ok", "X v9 eval: auc 0.87".
  if (LOG_LINE.test(text)) shape.push('zzlog');
  // "what's the status of JIRA-4821?": a ticket is another tool's thing.
  if (/\b[A-Z][A-Z0-9]{1,9}-\d{1,6}\b/.test(text)) shape.push('zzticket');
  // A result reported ("auc: 0.87", "92.1% val accuracy"), not a bound asked for ("auc should be above 0.9").
  if (MEASURED.test(text)) shape.push('zzmeasured');
  // "how do i kill a process on linux", "how do i train a dog": how to do a thing that is not opsbot's.
  if (asksHowToDoAThing(start, words, used)) shape.push('zzhowtoa');
  // An order that opens with the action's word ("ditch j-…", "slim down X"), with or without a slot:
  // imperatives to the bot are requests far more often than chatter that borrows the verb.
  const lead = start.split(' ')[0] ?? '';
  const leadIntent = lead === '' ? undefined : CUE_WORDS.get(lead);
  if (leadIntent !== undefined) shape.push(`zzlead${leadIntent}${shape[0] === 'zzslots' ? 's' : 'n'}`);
  return shape;
}

const OPINION = /^(?:my take|hot take|unpopular opinion|imo|imho|tbh|honestly|personally|i think|i feel|i reckon|i guess|in my opinion|my two cents|my 2c)\b/;
const OPINION_ANYWHERE = /\b(?:not worth|overrated|underrated|is always|are always|never worth|no point in|a bad idea|a good idea|the safer call)\b/;
/** Not "last week" (an audit's time) nor a bare "back in" ("put churn back in prod"). */
const RECALLED =
  /\b(?:back in (?:(?:19|20)\d\d|january|february|march|april|may|june|july|august|september|october|november|december|the day)|used to|years? ago|months? ago|weeks? ago|remember when|the other day|once upon|in the old days|back when|we had to|we once)\b/;
const DONE_ALREADY = /\b(?:already|just) (?:rolled|reverted|deployed|shipped|scaled|cancell?ed|killed|trained|retrained|quantized|quantised|evaluated|tuned|promoted)\b|\bit's done\b/;
const DENIED =
  /\b(?:no need to|hold off on|hold off|do not touch|don't touch|no reason to|i wouldn't|we shouldn't|let's not|not going to|there's no point|no point in|won't need to|we won't|nobody|no one)\b|^(?:don't|do not) |^never (?!let|allow|go|drop|exceed|fall|dip|scale)/;
const WONDERED = /\b(?:would it be (?:crazy|worth|smart|dumb|bad)|in theory|what if we|if we|if i were|if [\w-]+ were|hypothetically|i wonder if|wondering if|could we ever)\b/;
const OTHERS_PLAN = /^[a-z]+(?: will|'s going to|'s gonna| going to| gonna|'ll| is going to| is gonna| plans to| wants to| is about to| said| says| already| just)\b/;
const LOG_LINE = /^\s*(?:\[[\w .:/-]+\]|(?:info|warn|warning|error|debug|fatal)\b:?|step \d+\/\d+)|\d{4}-\d{2}-\d{2}[ t]\d{2}:\d{2}|\s->\s|\.\.\.\s*(?:ok|done|failed)\b|\b\d+\/\d+ (?:pods|replicas)? ?ready\b/i;
const MEASURED = /\b(?:auc|f1|rmse|mae|precision|recall|accuracy|acc|loss)\b\s*[:=]?\s*\d*\.\d+|\d+(?:\.\d+)?% (?:val |test |train |validation )?(?:accuracy|acc|recall|precision|f1)\b/i;
const HOW_TO_A = /^how (?:do|can|would|should|does) (?:i|you|we|one|someone) [a-z-]+ (?:a|an|my) ([a-z-]+)/;
/** Words after "a"/"my" in opsbot's own how-to questions: "how do I deploy a model", "a specific version". */
const OPSBOT_THINGS: ReadonlySet<string> = new Set(['model', 'job', 'version', 'run', 'training', 'sweep', 'replica', 'rollback', 'deployment', 'deploy', 'curve', 'new', 'specific', 'previous', 'particular', 'single', 'search', 'tuning', 'dataset', 'quantized', 'hyperparameter']);

/**
 * "how do i kill a process on linux", "how do i train a dog": how to do something to a thing that
 * is not opsbot's: no model, cue or thing of opsbot's from the object on ("how do i see my audit log" asks opsbot).
 */
function asksHowToDoAThing(start: string, words: readonly Word[], used: ReadonlyArray<string | undefined>): boolean {
  const match = HOW_TO_A.exec(start);
  if (!match) return false;
  const object = words.findIndex((w) => w.lower === match[1]);
  if (object < 0) return false;
  return words.slice(object).every((w) => {
    const singular = w.lower.replace(/s$/, '');
    return used[w.index] === undefined && !OPSBOT_THINGS.has(singular) && exactCueOf(w.lower) === undefined && exactCueOf(singular) === undefined;
  });
}

/**
 * A version said to be bad beside one wanted ("reactivate v12, v9 is bad"), two versions, or one wanted again: what a
 * rollback says, unless the sentence opens with another command ("deploy churn v5, v4 is broken").
 */
function versionShape(words: readonly Word[], versions: readonly VersionMention[]): string[] {
  const lead = exactCueOf(words[firstContentWord(words)]?.lower ?? '');
  if (lead !== undefined && lead !== 'rollback') return [];
  return [
    ...(versions.some((v) => v.blamed) ? ['zzverblamed'] : []),
    ...(new Set(versions.map((v) => v.value)).size > 1 ? ['zzvertwo'] : []),
    ...(versions.some((v) => words[v.index + 1]?.lower === 'again' || words[v.index + 2]?.lower === 'again') ? ['zzveragain'] : []),
  ];
}

/** The kinds of slot a sentence names, as one token part: "_env_model_ver". */
function slotKindsOf(used: ReadonlyArray<string | undefined>, replicas: boolean): string {
  const kinds = new Set<string>();
  for (const u of used) {
    if (u === undefined || !u.startsWith('zz') || u === 'zzuser') continue;
    for (const part of u.split(' ')) if (part.startsWith('zz')) kinds.add(part.slice(2));
  }
  if (replicas) kinds.add('replicas');
  return kinds.size === 0 ? '_none' : [...kinds].sort().map((k) => `_${k}`).join('');
}

/** Words that join names in a list: "fraud and churn", "churn vs fraud", "churn, fraud". */
const LIST_JOINERS: ReadonlySet<string> = new Set(['and', 'or', 'vs', 'versus', 'against', 'with', 'than', 'nor', 'both']);

/** Whether the word at `index` stands in a list of names. */
function listedBeside(words: readonly Word[], index: number): boolean {
  const before = words[index - 1];
  return LIST_JOINERS.has(before?.lower ?? '') || LIST_JOINERS.has(words[index + 1]?.lower ?? '') || before?.endsClause === true || words[index]!.endsClause;
}

const PLACING_VERBS: ReadonlySet<string> = new Set(['put', 'moved']);

/** "who put churn in prod", "who moved it to staging": putting a model in an environment is deploying it ("put it back" is not). */
function placedInEnv(words: readonly Word[], index: number, envs: readonly EnvMention[]): boolean {
  if (!PLACING_VERBS.has(words[index]!.lower)) return false;
  return envs.some(
    (env) =>
      env.index > index + 1 &&
      env.index <= index + 4 &&
      env.before !== undefined &&
      ENV_CUES.has(env.before) &&
      env.before !== 'from' &&
      !words.slice(index + 1, env.index).some((w) => w.lower === 'back' || w.endsClause),
  );
}

/** "what's running", "see what's queued": a question about the jobs there are. */
function asksWhatRuns(words: readonly Word[], index: number): boolean {
  return words[index]!.lower === 'what' && words[index]!.possessive && ['running', 'queued', 'pending'].includes(words[index + 1]?.lower ?? '');
}

/** "with a clean slate", "from the ground up", "start churn over": a full run, not a continuation. */
function startsAfresh(words: readonly Word[], index: number): boolean {
  const lower = words[index]!.lower;
  const at = (k: number) => words[index + k]?.lower;
  if (lower === 'clean' && at(1) === 'slate') return true;
  // "start fresh", "a fresh start": but not "fresh data" or "the data is fresh".
  if (lower === 'fresh' && (START_VERBS.has(words[index - 1]?.lower ?? '') || at(1) === 'start')) return true;
  if (lower === 'ground' && at(1) === 'up' && words[index - 1]?.lower === 'the' && words[index - 2]?.lower === 'from') return true;
  if (!START_VERBS.has(lower) || TURNED_DOWN.has(words[index - 1]?.lower ?? '')) return false;
  // "start it over", "start churn over with …", but not "start training over the weekend" (a time).
  for (let k = 1; k <= 3 && index + k < words.length && !words[index + k - 1]!.endsClause; k++) {
    if (at(k) !== 'over') continue;
    const after = at(k + 1);
    return words[index + k]!.endsClause || after === undefined || !OVER_WHAT.has(after);
  }
  return false;
}
const START_VERBS: ReadonlySet<string> = new Set(['start', 'restart', 'starting']);
/** "rather than starting over", "instead of starting over": a start over that is turned down. */
const TURNED_DOWN: ReadonlySet<string> = new Set(['than', 'of', 'without', 'not', 'no', 'never', "don't", 'avoid']);
/** Words after "over" that make it "over a time" or "over a thing", not "again". */
const OVER_WHAT: ReadonlySet<string> = new Set(['the', 'this', 'that', 'a', 'an', 'night', 'lunch', 'tonight', 'weekend', 'its', 'their', 'our', 'my', 'all']);

/** "where it left off", "warm start", "from its current weights": training goes on from the weights there are. */
function goesOnFromTheWeights(words: readonly Word[], index: number): boolean {
  const lower = words[index]!.lower;
  const at = (k: number) => words[index + k]?.lower;
  if (lower === 'left' && at(1) === 'off' && [at(-1), at(-2)].includes('where')) return true;
  if (lower === 'carry' && at(1) === 'on' && at(2) === 'training') return true;
  if (lower === 'warm-start' || lower === 'warmstart' || (lower === 'warm' && (at(1) === 'start' || at(1) === 'started'))) return true;
  return lower === 'current' && ['weights', 'checkpoint', 'checkpoints'].includes(at(1) ?? '') && ['from', 'its', 'the'].includes(at(-1) ?? '') && [at(-1), at(-2)].includes('from');
}

const TAMPER_VERBS: ReadonlySet<string> = new Set([
  'edited', 'altered', 'doctored', 'fiddled', 'tampered', 'modified', 'rewritten', 'rewrote', 'falsified', 'forged', 'manipulated', 'meddled', 'messed',
]);
const LOG_NOUNS: ReadonlySet<string> = new Set(['log', 'logs', 'records', 'record', 'trail', 'ledger', 'history', 'entries']);
/** Words between a tamper verb and the log it is done to: "fiddled with the audit records", "has the log been edited". */
const TAMPER_FILLERS: ReadonlySet<string> = new Set([
  'with', 'around', 'up', 'the', 'our', 'this', 'its', 'audit', 'activity', 'has', "hasn't", 'have', "haven't", 'was', "wasn't", 'were',
  'is', "isn't", 'been', 'being', 'got', 'ever', 'not', 'never',
]);

/**
 * Whether the tamper verb at `index` is done to the audit log ("has anyone doctored the log", "proof the
 * log hasn't been altered"): only then is it a request to verify the chain ("who fiddled with churn" is not).
 */
function logTamperedWith(words: readonly Word[], index: number): boolean {
  if (!TAMPER_VERBS.has(words[index]!.lower)) return false;
  for (const step of [1, -1]) {
    for (let k = index + step; k >= 0 && k < words.length && k >= index - 4 && k <= index + 4; k += step) {
      if (step === 1 ? words[k - 1]!.endsClause : words[k]!.endsClause) break;
      const lower = words[k]!.lower;
      if (LOG_NOUNS.has(lower)) return true;
      if (!TAMPER_FILLERS.has(lower)) break;
    }
  }
  return false;
}

const BELOW_WORDS: ReadonlySet<string> = new Set(['below', 'under']);
const ABOVE_WORDS: ReadonlySet<string> = new Set(['above', 'over', 'beyond', 'past']);
/** Verbs of a count that moves: "drop below", "go above". */
const MOVE_VERBS: ReadonlySet<string> = new Set([
  'drop', 'drops', 'fall', 'falls', 'go', 'goes', 'dip', 'dips', 'sink', 'sinks', 'get', 'gets', 'rise', 'rises', 'climb', 'climbs', 'grow', 'grows',
  'scale', 'scales', 'shrink', 'shrinks', 'run', 'runs',
]);
const OFF_VERBS: ReadonlySet<string> = new Set(['turn', 'switch', 'power']);
/** "train X from zero": from scratch (not "scale X from zero to 3"). */
const TRAIN_WORDS: ReadonlySet<string> = new Set(['train', 'retrain', 'rebuild', 'fit', 'refit']);
const ASKED_WHO: ReadonlySet<string> = new Set(['who', 'why', 'did', 'was', 'were', 'has', 'have']);
/** What may follow a bare bound at the end of a request: "cap it at seven please". */
const POLITE_TAIL = TONE_WORDS;
const CAP_VERBS: ReadonlySet<string> = new Set(['cap', 'caps', 'capped']);
const NEGATIONS: ReadonlySet<string> = new Set(['never', 'not', 'no', 'cannot']);

/** The count a bound word is set to later in its clause: "the max replicas for churn on dev to 14". */
function boundSetTo(words: readonly Word[], index: number): { value: number; index: number; end: number } | undefined {
  for (let k = index + 1; k < words.length - 1 && !words[k - 1]!.endsClause; k++) {
    const lower = words[k]!.lower;
    // "the max latency alert … to 20", "max batch size … to 32", "max epochs … to 30": a bound of something else.
    if (lower === 'and' || lower === 'then' || METRIC_WORDS.has(lower) || OTHER_LIMITS.has(lower) || (NUMBER_UNITS.has(lower) && NUMBER_UNITS.get(lower) !== 'replicas')) return undefined;
    if (lower !== 'to') continue;
    const n = numberAt(words, k + 1);
    const unit = n ? NUMBER_UNITS.get(words[n.end]?.lower ?? '') : undefined;
    return n && !n.article && (unit === undefined || unit === 'replicas') && !SINCE_UNITS.has(words[n.end]?.lower ?? '') ? { value: n.value, index: k + 1, end: n.end } : undefined;
  }
  return undefined;
}
/** Limits that are not of replicas: "max batch size", "max alert threshold". */
const OTHER_LIMITS: ReadonlySet<string> = new Set(['batch', 'size', 'alert', 'threshold', 'timeout', 'tokens', 'length', 'retries', 'concurrency', 'rate', 'ms']);

/** Whether a word after `index` in its clause satisfies the test. */
function laterInClause(words: readonly Word[], index: number, test: (lower: string) => boolean): boolean {
  for (let k = index; k < words.length - 1 && !words[k]!.endsClause; k++) if (test(words[k + 1]!.lower)) return true;
  return false;
}

/** Whether a word before `index` in its clause satisfies the test. */
function earlierInClause(words: readonly Word[], index: number, test: (lower: string) => boolean): boolean {
  for (let k = index - 1; k >= 0 && !words[k]!.endsClause; k--) if (test(words[k]!.lower)) return true;
  return false;
}

/**
 * The bound the word at `index` puts on the number after it: "never drop below 2" a floor, "never
 * go above 9" or "never exceed 9" a ceiling (only when denied: "latency went above 200" bounds
 * nothing), "cap churn at 8" a ceiling.
 */
function boundSaid(words: readonly Word[], index: number): 'min' | 'max' | undefined {
  const lower = words[index]!.lower;
  const before = words[index - 1]?.lower ?? '';
  const denied = () => earlierInClause(words, index, (w) => NEGATIONS.has(w) || w.endsWith("n't"));
  if (BELOW_WORDS.has(lower) && MOVE_VERBS.has(before) && denied()) return 'min';
  if ((ABOVE_WORDS.has(lower) && MOVE_VERBS.has(before)) || lower === 'exceed') return denied() ? 'max' : undefined;
  if (lower === 'at' && earlierInClause(words, index, (w) => CAP_VERBS.has(w))) return 'max';
  return undefined;
}

/** "back out churn v1", "pull v4": a removal verb just before the version or with the model between, in its clause. */
function removalBefore(words: readonly Word[], index: number): boolean {
  for (let k = index - 1; k >= Math.max(0, index - 3); k--) {
    const lower = words[k]!.lower;
    // "pull churn v5 into prod", "pull v5 of churn from staging into prod" bring it in.
    if (lower === 'pull' && (['in', 'to'].includes(words[index + 1]?.lower ?? '') || laterInClause(words, index, (w) => w === 'into' || w === 'onto'))) return false;
    if (REMOVAL_VERBS.has(lower) || (lower === 'out' && ['back', 'backed', 'backing'].includes(words[k - 1]?.lower ?? ''))) return true;
    if (words[k]!.endsClause || lower === 'to') return false;
  }
  return false;
}

/** A file name with a data extension, or a folder path that reads as one (see DATASET_FOLDERS). */
function looksLikeDataset(text: string): boolean {
  if (!DATASET_CHARS.test(text) || /^https?:/i.test(text)) return false;
  if (DATASET_EXTENSION.test(text)) return true;
  if (!/[A-Za-z0-9_]\/[A-Za-z0-9_]/.test(text) || !/[A-Za-z]{2}/.test(text)) return false;
  const parts = text.replace(/^\.\//, '').split('/');
  return text.startsWith('./') || parts.length >= 3 || DATASET_FOLDERS.has(parts[0]!.toLowerCase());
}

/** "by alice", "what did bob do", "everything carol did"; `mayBeName` says whether a word may be a person's name. */
function userOf(words: readonly Word[], mayBeName: (index: number) => boolean): string | undefined {
  const onCall = onCallPerson(words, mayBeName);
  if (onCall !== undefined) return onCall;
  for (let i = 0; i < words.length; i++) {
    const lower = words[i]!.lower;
    const next = words[i + 1];
    // "Dave's footprints on churn": a capitalised owner of a person's traces (lower case it may be a model's name).
    if (words[i]!.possessive && /^[A-Z][a-z]+$/.test(words[i]!.text) && next !== undefined && PERSON_TRAILS.has(next.lower) && mayBeName(i)) return words[i]!.lower;
    // "anything erin initiated this week": a name before a verb of starting or changing, then at most a time.
    // Not "what": "what config changed yesterday" asks about a thing.
    if (ALL_OF_IT.has(lower) && next !== undefined && !STOP_WORDS.has(next.lower) && mayBeName(i + 1) && PERSON_PAST_VERBS.has(words[i + 2]?.lower ?? '')) {
      const rest = words[i + 3]?.lower === 'off' ? i + 4 : i + 3;
      if (words[rest] === undefined || AFTER_DID.has(words[rest]!.lower)) return next.text;
    }
    // Not STOP_WORDS: it holds names such as "dave" that are too close to an environment to be models.
    if (next === undefined || NOT_PEOPLE.has(next.lower) || !/^[a-z][a-z0-9._-]*$/i.test(next.text)) continue;
    // "rollbacks by tom", "the last 20 audit records for sam" ("for" only after entries: a log "for" X is X's, a model's).
    // "entries for tuning by wei": any action's word counts as what was done.
    const byWhom = lower === 'by' && (RECORDS_OF_PEOPLE.has(words[i - 1]?.lower ?? '') || MENTIONED_ACTIONS.has(words[i - 1]?.lower ?? ''));
    const forWhom = lower === 'for' && ENTRY_WORDS.has(words[i - 1]?.lower ?? '');
    if ((byWhom || forWhom) && mayBeName(i + 1) && !STOP_WORDS.has(next.lower) && !NOT_DOERS.has(next.lower)) return next.text;
    // "whats maria been up to", "what lucy's done this month"; not "whats traffic been like".
    if ((lower === "what's" || lower === 'whats') && mayBeName(i + 1) && words[i + 2]?.lower === 'been' && BEEN_DOING.has(words[i + 3]?.lower ?? '')) return next.text;
    if (lower === 'what' && next.possessive && mayBeName(i + 1) && ['done', 'been'].includes(words[i + 2]?.lower ?? '')) return next.text;
    // "every action mia took", "changes raj made".
    if (['action', 'actions', 'change', 'changes'].includes(lower) && mayBeName(i + 1) && ['took', 'made', 'did'].includes(words[i + 2]?.lower ?? '')) return next.text;
    if ((lower === 'did' || lower === 'has') && ['do', 'done', 'did'].includes(words[i + 2]?.lower ?? '')) return next.text;
    // "what did alice deploy", "what has dave been doing", "what did bob change yesterday".
    const verb = words[i + 2]?.lower ?? '';
    const twoWordVerb = resolveActionWord(`${verb} ${words[i + 3]?.lower ?? ''}`) !== undefined;
    if (lower === 'did' && words[i - 1]?.lower === 'what' && (USER_VERBS.has(verb) || resolveActionWord(verb) !== undefined || twoWordVerb)) return next.text;
    // "which jobs did lena kill": the same question about a kind of thing, when the word may be a name.
    const whichThings = ['what', 'which'].includes(words[i - 2]?.lower ?? '') && !NOT_PEOPLE.has(words[i - 1]?.lower ?? 'who');
    if (lower === 'did' && whichThings && mayBeName(i + 1) && (USER_VERBS.has(verb) || resolveActionWord(verb) !== undefined)) return next.text;
    if (lower === 'has' && verb === 'been' && ['doing', 'up', 'changing', 'touching'].includes(words[i + 3]?.lower ?? '')) return next.text;
    if (ALL_OF_IT.has(lower) && mayBeName(i + 1) && (words[i + 2]?.lower === 'did' || (words[i + 2]?.lower === 'has' && words[i + 3]?.lower === 'done'))) return next.text;
    // "what has ana touched in the last hour".
    if (lower === 'has' && words[i - 1]?.lower === 'what' && mayBeName(i + 1) && (PERSON_PAST_VERBS.has(verb) || MENTIONED_ACTIONS.has(verb))) return next.text;
    // "show me what erin did", "did carol quantize anything".
    // Only when nothing but a time follows "did" ("what version did we deploy" is no user "version").
    const afterDid = words[i + 3]?.lower;
    if (lower === 'what' && words[i + 2]?.lower === 'did' && words[i - 1]?.lower !== 'did' && !STOP_WORDS.has(next.lower) && (afterDid === undefined || AFTER_DID.has(afterDid))) return next.text;
    if (lower === 'did' && i === firstContentWord(words) && (USER_VERBS.has(verb) || resolveActionWord(verb) !== undefined) && ['anything', 'something', 'any'].includes(words[i + 3]?.lower ?? '')) return next.text;
  }
  return undefined;
}

/** Past forms a person does and a model does not ("what churn triggered" is about a model): "anything erin initiated". */
const PERSON_PAST_VERBS: ReadonlySet<string> = new Set(['initiated', 'started', 'launched', 'kicked', 'touched', 'changed', 'approved', 'submitted', 'queued', 'requested', 'modified', 'ran']);
/** Words for what was done, before "for" a person: "audit records for sam". */
const ENTRY_WORDS: ReadonlySet<string> = new Set(['records', 'entries', 'actions', 'events', 'activity', 'activities']);
/** What a person's name follows "by" in: "actions by alice", "rollbacks by tom". */
const RECORDS_OF_PEOPLE: ReadonlySet<string> = new Set([
  ...ENTRY_WORDS, 'taken', 'done', 'made', 'changes', 'anything', 'everything', 'things', 'stuff',
  'deploys', 'deployments', 'releases', 'rollbacks', 'reverts', 'cancels', 'cancellations', 'scales', 'trainings', 'runs', 'jobs', 'evaluations', 'quantizations',
]);
/** "by date", "by mistake", "for compliance": what follows "by" or "for" that nobody is called. */
const NOT_DOERS: ReadonlySet<string> = new Set(
  `date time type region env environment hand mistake accident default priority name size day week month year model team user status kind
  category version job hour minute design email slack night noon tomorrow compliance review audit auditors reference context security legal
  ops postmortem incident debugging now far then way chance force hours days weeks months`.split(/\s+/).filter(Boolean),
);
/** Words that sweep up what someone did: "everything ahmed has done", "the last 5 things jo did". */
const ALL_OF_IT: ReadonlySet<string> = new Set(['anything', 'everything', 'things', 'stuff']);
/** After "what's X been": what a person has been doing. */
const BEEN_DOING: ReadonlySet<string> = new Set(['up', 'doing', 'working', 'changing', 'touching', 'deploying', 'running']);
/** What only a person leaves: "Dave's footprints". */
const PERSON_TRAILS: ReadonlySet<string> = new Set(['footprints', 'fingerprints', 'handiwork', 'doings']);
/** Adverbs where a name would stand: "what else changed", "anything actually started". */
const NOT_A_NAME: ReadonlySet<string> = new Set(['else', 'ever', 'just', 'even', 'never', 'already', 'actually', 'really', 'exactly', 'recently', 'currently', 'possibly']);
const PRONOUNS: ReadonlySet<string> = new Set(['he', 'she', 'they']);

/**
 * "raj was on call yesterday, what did he touch": a pronoun asked about is the person the sentence
 * opened with as the one on call; nobody else is said to be on call.
 */
function onCallPerson(words: readonly Word[], mayBeName: (index: number) => boolean): string | undefined {
  const asked = words.findIndex((w, i) => w.lower === 'what' && words[i + 1]?.lower === 'did' && PRONOUNS.has(words[i + 2]?.lower ?? ''));
  if (asked < 0) return undefined;
  const verb = words[asked + 3]?.lower ?? '';
  if (verb !== 'do' && !USER_VERBS.has(verb) && resolveActionWord(verb) === undefined) return undefined;
  const first = firstContentWord(words);
  const at = (k: number) => words[first + k]?.lower;
  const onDuty = (at(2) === 'on' && (at(3) === 'call' || at(3) === 'duty')) || at(2) === 'on-call' || at(2) === 'oncall';
  if (first >= asked || !['was', 'is', 'were'].includes(at(1) ?? '') || !onDuty || STOP_WORDS.has(at(0) ?? '') || !mayBeName(first)) return undefined;
  return words[first]!.text;
}

const AFTER_DID: ReadonlySet<string> = new Set(['yesterday', 'today', 'this', 'last', 'in', 'on', 'over', 'since', 'recently', 'lately', 'earlier', 'before', 'during', 'through', 'via']);

/** Where a sentence starts after greetings and the bot's name ("hey opsbot, did …"). */
function firstContentWord(words: readonly Word[]): number {
  let i = 0;
  while (i < words.length && OPENERS.has(words[i]!.lower)) i++;
  return i;
}
const OPENERS: ReadonlySet<string> = new Set(['hey', 'hi', 'ok', 'okay', 'so', 'btw', 'fyi', 'hmm', 'quick', 'one', 'opsbot', '@opsbot', 'bot', 'and', 'also', 'um']);

/** Ordinary plural nouns and verb forms of the data, never a model name even without a registry. */
const NOT_NAMES = /^(?:actions|events|changes|entries|records|things|deploys|deployments|rollbacks|releases|metrics|results|numbers|logs|runs|jobs|changed|happened|deployed|tampering|running|training|scaling|failing|working|pending|queued|finished|trained|tuned|evaluated|broke|crashing|misbehaving)$/;

const SINCE_UNITS: ReadonlyMap<string, string> = new Map([
  ['minute', 'm'], ['minutes', 'm'], ['mins', 'm'], ['hour', 'h'], ['hours', 'h'], ['hrs', 'h'], ['day', 'd'], ['days', 'd'],
  ['week', 'w'], ['weeks', 'w'], ['month', 'mo'], ['months', 'mo'],
]);

/** "today", "yesterday", "this week", "in the last 3 days", "past hour" → a since spec (see sinceInstant). */
function sinceOf(words: readonly Word[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const lower = words[i]!.lower;
    if (lower === 'today' || lower === 'yesterday') return lower;
    const next = words[i + 1]?.lower;
    // Parts of a day and a whole week as people say them: "this morning", "last night", "all week".
    if ((lower === 'this' && (next === 'morning' || next === 'afternoon' || next === 'evening')) || lower === 'tonight') return 'today';
    if (lower === 'last' && next === 'night') return 'yesterday';
    // "since friday", "last tuesday", "from monday on".
    if (['since', 'last', 'from'].includes(lower) && next !== undefined && (WEEKDAYS as readonly string[]).includes(next.replace(/s$/, ''))) return next.replace(/s$/, '');
    if ((lower === 'all' || lower === 'whole') && next === 'week') return '7d';
    if ((lower === 'this' || lower === 'past' || lower === 'last') && next !== undefined) {
      const unit = SINCE_UNITS.get(next);
      if (unit !== undefined) return unit === 'w' ? '7d' : unit === 'mo' ? '30d' : `1${unit}`;
      // "in the past 24h", "last 3d".
      const short = /^(\d{1,3})(m|h|d)$/.exec(next);
      if (short) return `${short[1]}${short[2]}`;
      const n = numberAt(words, i + 1);
      const after = n ? SINCE_UNITS.get(words[n.end]?.lower ?? '') : undefined;
      if (n && after !== undefined) return after === 'w' ? `${n.value * 7}d` : after === 'mo' ? `${n.value * 30}d` : `${n.value}${after}`;
    }
  }
  return undefined;
}
