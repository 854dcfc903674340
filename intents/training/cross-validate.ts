/**
 * Cross-validation over the train split's templates, for error analysis with more signal than
 * the calibration slice alone: each fold's templates are left out of one training run (in
 * memory) and scored through the whole understanding, filled with names no training run saw
 * (DEV_MODELS), with the registry and without. The held-out split is never read.
 * `npx tsx intents/training/cross-validate.ts` (OPSBOT_INTENT_FOLDS, default 5; misses printed
 * with OPSBOT_INTENT_DEV_FAILURES=registry,noregistry).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../core/index.js';
import { fnv1a } from '../../workers/training/features/feature-hash.js';
import { IntentClassifier } from '../nl/intent-classifier.js';
import { DEV_MODELS } from './fillers.js';
import { expandTemplates, loadTemplates, type Template, type Utterance } from './intent-data.js';
import { scoreUtterances, type HeldOutScores } from './score-held-out.js';
import { DEFAULT_INTENT_SEED, intentModelJson, trainIntentModel } from './train-intent-model.js';

const FOLDS = Number(process.env.OPSBOT_INTENT_FOLDS ?? 5);
const DEV_SEED = 991;
const overrides = process.env.OPSBOT_INTENT_DEV ? (JSON.parse(process.env.OPSBOT_INTENT_DEV) as Parameters<typeof trainIntentModel>[1]) : {};
const show = (process.env.OPSBOT_INTENT_DEV_FAILURES ?? '').split(',');
const foldOf = (t: Template) => fnv1a(`${t.label}\t${t.text}\tfold`) % FOLDS;
const environments = defaultConfig().environments;
const all = loadTemplates().filter((t) => !t.heldOut);
const totals: Record<string, { n: number; inScope: number; outOfScope: number; intent: number; exact: number; rejected: number; falseRejected: number }> = {};

for (let fold = 0; fold < FOLDS; fold++) {
  const trained = await trainIntentModel(DEFAULT_INTENT_SEED, { ...overrides, leaveOut: (t) => foldOf(t) === fold });
  process.stdout.write(`fold ${fold}: none weight ${trained.file.thresholds.noneWeight}, reject below ${trained.file.thresholds.reject}\n`);
  const dir = await mkdtemp(join(tmpdir(), 'opsbot-intent-cv-'));
  try {
    await writeFile(join(dir, 'm.onnx'), trained.onnx);
    await writeFile(join(dir, 'm.json'), intentModelJson(trained.file));
    const classifier = IntentClassifier.load({ onnx: join(dir, 'm.onnx'), json: join(dir, 'm.json') });
    const sentences: Utterance[] = expandTemplates(all.filter((t) => foldOf(t) === fold), { environments, fillings: 3, seed: DEV_SEED, heldOutPool: false, noise: false, pool: DEV_MODELS });
    for (const [name, knownModels] of [['registry', DEV_MODELS], ['noregistry', []]] as const) {
      const scores: HeldOutScores = await scoreUtterances(sentences, { knownModels, classifier });
      if (show.includes(name)) for (const f of scores.failures) process.stdout.write(`${name} ${JSON.stringify(f)}\n`);
      const t = (totals[name] ??= { n: 0, inScope: 0, outOfScope: 0, intent: 0, exact: 0, rejected: 0, falseRejected: 0 });
      t.n += scores.sentences;
      t.inScope += scores.inScope;
      t.outOfScope += scores.outOfScope;
      t.intent += scores.intentAccuracy * scores.inScope;
      t.exact += scores.slotExactMatch * scores.inScope;
      t.rejected += scores.outOfScopeRejection * scores.outOfScope;
      t.falseRejected += scores.falseRejection * scores.inScope;
    }
    await (await classifier).close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
for (const [name, t] of Object.entries(totals)) {
  process.stdout.write(
    `cv ${name} (${FOLDS} folds, ${t.n} sentences, ${t.outOfScope} out of scope): intent ${pct(t.intent / t.inScope)}, full-slot ${pct(t.exact / t.inScope)}, ` +
      `rejection ${pct(t.rejected / t.outOfScope)}, false rejection ${pct(t.falseRejected / t.inScope)}\n`,
  );
}
