import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { actionLimitsFrom, defaultConfig } from '../core/index.js';
import { createUnderstander } from '../intents/index.js';
import { HELD_OUT_MODELS } from '../intents/training/fillers.js';
import { CURRENT_REPLICAS, expandTemplates, loadTemplates } from '../intents/training/intent-data.js';
import { heldOutUtterances, scoreHeldOut, type HeldOutScores } from '../intents/training/score-held-out.js';
import { DEFAULT_INTENT_SEED } from '../intents/training/train-intent-model.js';

/** The intents bench: opsbot's understanding (grammar + own intent model + slots) next to NLP.js trained on the same sentences. */
export interface IntentsBenchResult {
  sentences: number;
  opsbot: HeldOutScores & { p50Ms: number; p99Ms: number; meanMs: number };
  nlpjs: { intentAccuracy: number; outOfScopeRejection: number; falseRejection: number; p50Ms: number; p99Ms: number; trainSeconds: number; trainedOn: number };
  markdown: string;
}

const WARM_UP = 500;
const PARSES = 5_000;

interface NlpManagerLike {
  addDocument(language: string, text: string, intent: string): void;
  train(): Promise<void>;
  process(language: string, text: string): Promise<{ intent: string; score: number }>;
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

export async function benchIntents(): Promise<IntentsBenchResult> {
  const config = defaultConfig();
  const understander = createUnderstander({
    limits: actionLimitsFrom(config),
    environments: config.environments,
    knownModels: HELD_OUT_MODELS,
    currentReplicas: () => CURRENT_REPLICAS,
  });
  const heldOut = heldOutUtterances();
  const texts = heldOut.map((u) => u.text);
  // Latency of a whole parse without an LLM (grammar, slot reader, ONNX intent model, validation), after the model is loaded.
  for (let i = 0; i < WARM_UP; i++) await understander.understand(texts[i % texts.length]!);
  const times = new Float64Array(PARSES);
  for (let i = 0; i < PARSES; i++) {
    const started = process.hrtime.bigint();
    await understander.understand(texts[i % texts.length]!);
    times[i] = Number(process.hrtime.bigint() - started) / 1e6;
  }
  times.sort();
  const opsbot = { ...(await scoreHeldOut({ registry: true })), p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99), meanMs: times.reduce((s, t) => s + t, 0) / PARSES };

  // NLP.js on exactly the training sentences (raw text: it has no slot reader) and the same held-out split.
  const { NlpManager } = createRequire(import.meta.url)('node-nlp') as { NlpManager: new (options: object) => NlpManagerLike };
  const manager = new NlpManager({ languages: ['en'], forceNER: false, autoSave: false, nlu: { log: false } });
  const training = expandTemplates(loadTemplates().filter((t) => !t.heldOut), {
    environments: config.environments,
    fillings: 8,
    seed: DEFAULT_INTENT_SEED,
    heldOutPool: false,
    noise: true,
  });
  for (const u of training) manager.addDocument('en', u.text, u.label);
  const started = performance.now();
  await manager.train();
  const trainSeconds = (performance.now() - started) / 1000;
  const nlpTimes: number[] = [];
  let inScope = 0;
  let right = 0;
  let outOfScope = 0;
  let rejected = 0;
  let falselyRejected = 0;
  for (const u of heldOut) {
    const t = process.hrtime.bigint();
    const answer = await manager.process('en', u.text);
    nlpTimes.push(Number(process.hrtime.bigint() - t) / 1e6);
    const got = answer.intent === 'None' || answer.intent === 'none' ? 'none' : answer.intent;
    if (u.label === 'none') {
      outOfScope++;
      if (got === 'none') rejected++;
    } else {
      inScope++;
      if (got === u.label) right++;
      if (got === 'none') falselyRejected++;
    }
  }
  const nlpSorted = Float64Array.from(nlpTimes).sort();
  const nlpjs = {
    intentAccuracy: right / inScope,
    outOfScopeRejection: rejected / outOfScope,
    falseRejection: falselyRejected / inScope,
    p50Ms: percentile(nlpSorted, 0.5),
    p99Ms: percentile(nlpSorted, 0.99),
    trainSeconds,
    trainedOn: training.length,
  };
  return { sentences: heldOut.length, opsbot, nlpjs, markdown: intentsMarkdown(heldOut.length, opsbot, nlpjs) };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const ms = (x: number) => `${x.toFixed(3)} ms`;

function intentsMarkdown(sentences: number, opsbot: IntentsBenchResult['opsbot'], nlpjs: IntentsBenchResult['nlpjs']): string {
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  return [
    `Held-out split of intents/data (${sentences} sentences from intents/data/held-out/, which no training or tuning reads, filled with model names training never saw; registry given). Latency: one \`understand\` call, no LLM.`,
    '',
    '| measure | opsbot (grammar + own intent model + slots) | NLP.js (node-nlp NlpManager, same training sentences) | target |',
    '|---|---|---|---|',
    `| intent accuracy (in-scope) | ${pct(opsbot.intentAccuracy)} | ${pct(nlpjs.intentAccuracy)} | ≥ 97% (${met(opsbot.intentAccuracy >= 0.97)}) |`,
    `| full-slot exact match | ${pct(opsbot.slotExactMatch)} | — (no slot reader) | ≥ 92% (${met(opsbot.slotExactMatch >= 0.92)}) |`,
    `| out-of-scope rejected | ${pct(opsbot.outOfScopeRejection)} | ${pct(nlpjs.outOfScopeRejection)} | ≥ 95% (${met(opsbot.outOfScopeRejection >= 0.95)}) |`,
    `| in-scope wrongly rejected | ${pct(opsbot.falseRejection)} | ${pct(nlpjs.falseRejection)} | ≤ 3% (${met(opsbot.falseRejection <= 0.03)}) |`,
    `| expected calibration error | ${opsbot.ece.toFixed(3)} | — | reported |`,
    `| parse latency p50 / p99 | ${ms(opsbot.p50Ms)} / ${ms(opsbot.p99Ms)} | ${ms(nlpjs.p50Ms)} / ${ms(nlpjs.p99Ms)} | p99 < 2 ms (${met(opsbot.p99Ms < 2)}) |`,
    '',
    `NLP.js trained on the same ${nlpjs.trainedOn} training sentences in ${nlpjs.trainSeconds.toFixed(1)} s; its "None" answers count as out of scope.`,
  ].join('\n');
}

// `npx tsx bench/intents.bench.ts` prints the figures.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchIntents();
  console.log(result.markdown);
  process.exit(0);
}
