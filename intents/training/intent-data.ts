import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActionName } from '../../core/index.js';
import { fnv1a } from '../../workers/training/features/feature-hash.js';
import { seededRandom } from '../../workers/training/seeded-random.js';
import { ENV_SYNONYMS } from '../nl/lexicon.js';
import { DATASETS, HELD_OUT_MODELS, NUMBER_RANGES, TRAIN_MODELS, numberInWords, typosOf } from './fillers.js';

/** The intents the model tells apart: the actions people ask for in chat, and `none`. */
export const INTENT_LABELS = [
  'train', 'tune', 'evaluate', 'quantize', 'deploy', 'rollback', 'scale', 'status', 'cancel', 'audit', 'curve', 'help', 'none',
] as const;
export type IntentLabel = (typeof INTENT_LABELS)[number];

/** The replica count the data's "double it" sentences are resolved against (the accuracy test's lookup answers this). */
export const CURRENT_REPLICAS = 3;

export const DATA_DIR = fileURLToPath(new URL('../data/', import.meta.url));

export interface Template {
  readonly label: IntentLabel;
  readonly text: string;
  /** Arguments the words carry themselves (` => key=value`). */
  readonly fixed: Readonly<Record<string, string>>;
  readonly heldOut: boolean;
  /** Part of the train split kept for early stopping, temperature scaling and the thresholds. */
  readonly calibration: boolean;
}

export type ExpectedValue = string | number | boolean;

export interface Utterance {
  readonly label: IntentLabel;
  readonly text: string;
  /** Arguments as the understanding should produce them; `since` is a spec ("24h", "today") resolved by the reader of this. */
  readonly expected: Readonly<Record<string, ExpectedValue>>;
  readonly template: string;
  /** The pool the sentence's model names come from (the registry to parse it with). */
  readonly models: readonly string[];
}

/**
 * The held-out split: intents/data/held-out/, sentences written for measuring alone by people
 * who had not seen what the model gets wrong, never read by training, calibration or tuning.
 * It replaced a hashed fifth of the templates (salts `held-out-2026-12-b` … `e`, each scored
 * once): by then every template had been in some split whose misses were read, so a fresh salt
 * no longer drew sentences nobody had looked at. A set is scored once, after the round of work it
 * measures; the next round starts by moving it into the training data and writing a new one.
 */
export const HELD_OUT_DIR = 'held-out';
const CALIBRATION_PERCENT = 15;

/** Every template of intents/data (the train split) and of intents/data/held-out, with its split. */
export function loadTemplates(dir = DATA_DIR): Template[] {
  const heldOutDir = join(dir, HELD_OUT_DIR);
  return [...readTemplateFiles(dir, false), ...(existsSync(heldOutDir) ? readTemplateFiles(heldOutDir, true) : [])];
}

function readTemplateFiles(dir: string, heldOut: boolean): Template[] {
  const templates: Template[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
    const label = (file === 'out-of-scope.txt' ? 'none' : file.replace(/\.txt$/, '')) as IntentLabel;
    if (!(INTENT_LABELS as readonly string[]).includes(label)) throw new Error(`${file}: no intent is called ${label}`);
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      const [text, annotations] = trimmed.split(' => ') as [string, string | undefined];
      const fixed: Record<string, string> = {};
      for (const pair of annotations?.split(/\s+/) ?? []) {
        const [key, value] = pair.split('=');
        if (key && value !== undefined) fixed[key] = value;
      }
      templates.push({
        label,
        text,
        fixed,
        heldOut,
        calibration: !heldOut && fnv1a(`${label}\t${text}\tcalibration`) % 100 < CALIBRATION_PERCENT,
      });
    }
  }
  return templates;
}

/** How an environment may be written: its name, aliases, synonyms, a typo, in any case. */
function envSurfaces(env: { name: string; aliases: readonly string[] }): string[] {
  const synonyms = (ENV_SYNONYMS[env.name] ?? []).filter((s) => !s.includes('-env'));
  const typos = [env.name, ...env.aliases].flatMap(typosOf).slice(0, 4);
  return [env.name, env.name, env.name, env.name.toUpperCase(), ...env.aliases, ...env.aliases, ...synonyms, ...typos];
}

const NUMERIC_SLOTS = new Set(['replicas', 'min', 'max', 'epochs', 'gpus', 'trials', 'limit']);
const DECORATIONS_BEFORE = ['', '', '', '', '', '', '', '', '', '', '@opsbot ', 'opsbot, ', 'hey opsbot ', 'ok ', 'quick one: ', 'so ', 'hmm ', 'btw ', 'fyi ', 'hey, '];
const DECORATIONS_AFTER = ['', '', '', '', '', '', '', '', '', '', ' please', ' thanks', '!', ' ty', ' asap', ' when you can', ' right now', ' :)', ' thx', '?'];

export interface ExpandOptions {
  readonly environments: ReadonlyArray<{ name: string; aliases: readonly string[] }>;
  /** Fillings of a template with placeholders; one without is written a few times with other decorations. */
  readonly fillings: number;
  readonly seed: number;
  /** Fills held-out templates from the held-out model pool. */
  readonly heldOutPool: boolean;
  /** Another model pool than either (the dev report's names, which neither training nor the held-out split uses). */
  readonly pool?: readonly string[];
  /** Adds a swapped-letter typo to some sentences (training only). */
  readonly noise: boolean;
}

/** Sentences and their expected arguments from templates, reproducibly from the seed. */
export function expandTemplates(templates: readonly Template[], options: ExpandOptions): Utterance[] {
  const out: Utterance[] = [];
  const surfaces = options.environments.map((env) => ({ name: env.name, forms: envSurfaces(env) }));
  for (const template of templates) {
    const random = seededRandom((options.seed ^ fnv1a(`${template.label}\t${template.text}`)) >>> 0);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const pool = options.pool ?? (options.heldOutPool ? HELD_OUT_MODELS : TRAIN_MODELS);
    const hasSlots = template.text.includes('{');
    const count = hasSlots ? options.fillings : Math.max(1, Math.ceil(options.fillings / 3));
    const seen = new Set<string>();
    for (let k = 0; k < count; k++) {
      const expected: Record<string, ExpectedValue> = {};
      const numbers: Record<string, number> = {};
      const model = pick(pool);
      const env = pick(surfaces);
      let text = template.text.replace(/\{(\w+)(?::(\w+))?\}/g, (_, kind: string, slot?: string) => {
        switch (kind) {
          case 'model':
            expected.model = model;
            return model;
          case 'env':
            expected.env = env.name;
            return pick(env.forms);
          case 'ver':
          case 'xver': {
            const n = 1 + Math.floor(random() * 12);
            if (kind === 'ver') expected.version = String(n);
            return pick([`v${n}`, `v${n}`, `v${n}`, `version ${n}`, `version ${n}`, `V${n}`, `ver ${n}`, `version ${numberInWords(n, false)}`]);
          }
          case 'n': {
            const [low, high] = NUMBER_RANGES[slot!] ?? [1, 9];
            const n = low + Math.floor(random() * (high - low + 1));
            numbers[slot!] = n;
            if (NUMERIC_SLOTS.has(slot!)) expected[slot!] = n;
            return random() < 0.6 ? String(n) : numberInWords(n, random() < 0.3);
          }
          case 'dataset': {
            const path = pick(DATASETS);
            expected.dataset = path;
            return path;
          }
          case 'job': {
            let id = 'j-';
            for (let i = 0; i < 8; i++) id += '0123456789abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 36)];
            expected.jobId = id;
            return id;
          }
          default:
            throw new Error(`template "${template.text}": unknown placeholder {${kind}}`);
        }
      });
      for (const [key, value] of Object.entries(template.fixed)) {
        const relative = /^([*/+-])(\d+|delta)$/.exec(value);
        if (key === 'replicas' && relative) {
          const amount = relative[2] === 'delta' ? (numbers.delta as number) : Number(relative[2]);
          const op = relative[1];
          expected.replicas =
            op === '*' ? CURRENT_REPLICAS * amount : op === '/' ? Math.max(1, Math.floor(CURRENT_REPLICAS / amount)) : op === '+' ? CURRENT_REPLICAS + amount : Math.max(0, CURRENT_REPLICAS - amount);
        } else if (NUMERIC_SLOTS.has(key)) expected[key] = Number(value);
        else if (value === 'true') expected[key] = true;
        else expected[key] = value;
      }
      if (options.noise && random() < 0.2) text = addTypo(text, random);
      // A capital only on a word of the template: a name or path the sentence starts with is typed as it is.
      const capital = random() < 0.2 && !template.text.startsWith('{');
      text = `${pick(DECORATIONS_BEFORE)}${capital ? text.charAt(0).toUpperCase() + text.slice(1) : text}${pick(DECORATIONS_AFTER)}`;
      if (seen.has(text)) continue;
      seen.add(text);
      out.push({ label: template.label, text, expected, template: template.text, models: pool });
    }
  }
  return out;
}

/** Swaps two letters inside one longer word that is not a slot value. */
function addTypo(text: string, random: () => number): string {
  const words = text.split(' ');
  const candidates = words.map((w, i) => (/^[a-z]{5,}$/.test(w) ? i : -1)).filter((i) => i >= 0);
  if (candidates.length === 0) return text;
  const i = candidates[Math.floor(random() * candidates.length)]!;
  const word = words[i]!;
  const at = 1 + Math.floor(random() * (word.length - 3));
  words[i] = word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  return words.join(' ');
}

/** Words of every template (placeholders and annotations left out): ordinary words, never model names. */
export function templateVocabulary(templates: readonly Template[]): string[] {
  const words = new Set<string>();
  for (const template of templates) {
    for (const raw of template.text.replace(/\{[^}]*\}/g, ' ').toLowerCase().split(/\s+/)) {
      const word = raw.replace(/^[("'“‘]+|[)"'”’.,!?;:]+$/g, '').replace(/['’]s$/, '');
      if (/^[a-z][a-z'-]*$/.test(word)) words.add(word);
    }
  }
  return [...words].sort();
}

export function isAction(label: IntentLabel): label is Exclude<IntentLabel, 'none'> & ActionName {
  return label !== 'none';
}
