/**
 * Error analysis without touching the held-out split: trains the intent model in memory (as
 * `npm run train:intents` would, or with overrides from OPSBOT_INTENT_DEV), then scores the train
 * split's calibration slice, filled afresh, through the whole understanding and prints the misses:
 * once with training's model names in the registry, once with names training never saw (DEV_MODELS,
 * in the registry and not), which is how held-out and outside sentences name models.
 * `npx tsx intents/training/dev-report.ts` — never point it at held-out templates.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../core/index.js';
import { IntentClassifier } from '../nl/intent-classifier.js';
import { DEV_MODELS, TRAIN_MODELS } from './fillers.js';
import { expandTemplates, loadTemplates } from './intent-data.js';
import { scoreUtterances, type HeldOutScores } from './score-held-out.js';
import { DEFAULT_INTENT_SEED, intentModelJson, trainIntentModel } from './train-intent-model.js';

const DEV_SEED = 991;
const overrides = process.env.OPSBOT_INTENT_DEV ? (JSON.parse(process.env.OPSBOT_INTENT_DEV) as Parameters<typeof trainIntentModel>[1]) : {};
const show = (process.env.OPSBOT_INTENT_DEV_FAILURES ?? 'unseen').split(',');
const started = Date.now();
const trained = await trainIntentModel(DEFAULT_INTENT_SEED, overrides);
const seconds = (Date.now() - started) / 1000;
const dir = await mkdtemp(join(tmpdir(), 'opsbot-intent-dev-'));
try {
  await writeFile(join(dir, 'm.onnx'), trained.onnx);
  await writeFile(join(dir, 'm.json'), intentModelJson(trained.file));
  const classifier = IntentClassifier.load({ onnx: join(dir, 'm.onnx'), json: join(dir, 'm.json') });
  const templates = loadTemplates().filter((t) => !t.heldOut && t.calibration);
  const environments = defaultConfig().environments;
  const fill = (pool: readonly string[]) => expandTemplates(templates, { environments, fillings: 3, seed: DEV_SEED, heldOutPool: false, noise: false, pool });
  const runs: Array<[string, HeldOutScores]> = [
    ['known', await scoreUtterances(fill(TRAIN_MODELS), { knownModels: TRAIN_MODELS, classifier })],
    ['unseen', await scoreUtterances(fill(DEV_MODELS), { knownModels: DEV_MODELS, classifier })],
    ['noregistry', await scoreUtterances(fill(DEV_MODELS), { knownModels: [], classifier })],
  ];
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
  for (const [name, scores] of runs) if (show.includes(name)) for (const f of scores.failures) process.stdout.write(`${name} ${JSON.stringify(f)}\n`);
  process.stdout.write(
    `trained in ${seconds.toFixed(0)} s, ${trained.onnx.byteLength} bytes, ${JSON.stringify(trained.file.training)} T=${trained.file.temperature} ${JSON.stringify(trained.file.thresholds)}\n`,
  );
  for (const [name, scores] of runs) {
    process.stdout.write(
      `dev ${name} (calibration slice, ${scores.sentences} sentences, ${scores.outOfScope} out of scope): intent ${pct(scores.intentAccuracy)}, full-slot ${pct(scores.slotExactMatch)}, ` +
        `rejection ${pct(scores.outOfScopeRejection)}, false rejection ${pct(scores.falseRejection)}, ECE ${scores.ece.toFixed(3)}\n`,
    );
  }
  await (await classifier).close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
