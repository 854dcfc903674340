import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureSpamAssassinExport, SPAM_ASSASSIN_FILES } from '../scripts/export-spam-assassin.js';
import { exportTextModel } from '../workers/onnx/export-text-model.js';
import { onnxAccuracy, percentiles, type Latency } from '../workers/onnx/onnx-benchmarks.js';
import { OnnxTextSession } from '../workers/onnx/onnx-text-session.js';
import {
  dequantizeNetwork,
  loadTextDataset,
  quantizeNetwork,
  splitDataset,
  TextFeaturizer,
  TextModel,
  trainTextModel,
  type TextExample,
} from '../workers/training/index.js';
import { fnv1a } from '../workers/training/features/feature-hash.js';
import { argmax } from '../workers/training/network/text-network.js';

/**
 * The built-in trainer on the SpamAssassin split (scripts/export-spam-assassin.ts:
 * 4,232 train / 605 validation / 1,209 test emails), next to two baselines trained
 * and timed in the same run: a hashed multinomial Naive Bayes on word uni+bigrams
 * (below) and NLP.js (node-nlp). Latency is per text, featurisation included.
 */

export interface SystemFigures {
  name: string;
  trainedOn: string;
  trainSeconds?: number;
  accuracy: number;
  macroF1: number;
  batch1: Latency;
  batch32: Latency;
  note?: string;
}

export interface TrainingBenchResult {
  split: { train: number; validation: number; test: number };
  systems: SystemFigures[];
  int8: { fp32Bytes: number; int8Bytes: number; sizeRatio: number; fp32Accuracy: number; int8Accuracy: number };
  targets: Array<{ target: string; value: string; met: boolean }>;
  markdown: string;
}

/**
 * NLP.js is built for short utterances: its training time grows faster than linearly
 * with the vocabulary. Measured here: 300 whole emails train in 10–40 s, 600 do not
 * finish in 5 minutes, so the full split (4,232) is far beyond 10 minutes. It gets a
 * stratified 2,000-email subset cut to the first 300 characters (about 30 s), and the
 * same cut when it predicts.
 */
const NLPJS_SUBSET = 2000;
const NLPJS_MAX_CHARS = 300;

type Predict = (texts: readonly string[]) => Promise<string[]> | string[];

/** Per-text latency at batch 1 and batch 32 over the test texts, after one warm-up pass of each. */
async function latencies(predict: Predict, texts: readonly string[]): Promise<{ batch1: Latency; batch32: Latency }> {
  await predict(texts.slice(0, 32));
  const single: number[] = [];
  for (const text of texts) {
    const started = performance.now();
    await predict([text]);
    single.push(performance.now() - started);
  }
  const batched: number[] = [];
  for (let start = 0; start + 32 <= texts.length; start += 32) {
    const started = performance.now();
    await predict(texts.slice(start, start + 32));
    batched.push((performance.now() - started) / 32);
  }
  return { batch1: percentiles(single), batch32: percentiles(batched) };
}

function scores(labels: readonly string[], actual: readonly string[], predicted: readonly string[]): { accuracy: number; macroF1: number } {
  const f1s = labels.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    actual.forEach((a, i) => {
      const p = predicted[i];
      if (p === label && a === label) tp++;
      else if (p === label) fp++;
      else if (a === label) fn++;
    });
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
  const correct = actual.filter((a, i) => a === predicted[i]).length;
  return { accuracy: correct / actual.length, macroF1: f1s.reduce((s, f) => s + f, 0) / labels.length };
}

/**
 * The baseline to beat: multinomial Naive Bayes with add-one smoothing on hashed word
 * unigrams and bigrams (2^20 buckets) of the whole text, the classic spam filter.
 */
class HashedNaiveBayes {
  private readonly mask: number;
  private logPriors: number[] = [];
  private logLikelihoods: Float64Array[] = [];

  constructor(
    readonly labels: string[],
    private readonly dimensions = 1 << 20,
  ) {
    this.mask = dimensions - 1;
  }

  private buckets(text: string): number[] {
    const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    const buckets: number[] = [];
    words.forEach((word, i) => {
      buckets.push(fnv1a(word) & this.mask);
      if (i > 0) buckets.push(fnv1a(`${words[i - 1]} ${word}`) & this.mask);
    });
    return buckets;
  }

  train(examples: readonly TextExample[]): void {
    const counts = this.labels.map(() => new Float64Array(this.dimensions));
    const documents = this.labels.map(() => 0);
    for (const example of examples) {
      const c = this.labels.indexOf(example.label);
      documents[c] = (documents[c] as number) + 1;
      const row = counts[c] as Float64Array;
      for (const bucket of this.buckets(example.text)) row[bucket] = (row[bucket] as number) + 1;
    }
    this.logPriors = documents.map((n) => Math.log(n / examples.length));
    this.logLikelihoods = counts.map((row) => {
      const total = row.reduce((s, x) => s + x, 0) + this.dimensions;
      return row.map((x) => Math.log((x + 1) / total));
    });
  }

  predict(text: string): string {
    const buckets = this.buckets(text);
    const logits = this.labels.map((_, c) => buckets.reduce((s, b) => s + ((this.logLikelihoods[c] as Float64Array)[b] as number), this.logPriors[c] as number));
    return this.labels[argmax(logits)] as string;
  }
}

/** A stratified subset: the first `size × share` examples of each label, in split order. */
function stratifiedSubset(examples: readonly TextExample[], size: number): TextExample[] {
  const labels = [...new Set(examples.map((e) => e.label))];
  return labels.flatMap((label) => {
    const ofLabel = examples.filter((e) => e.label === label);
    return ofLabel.slice(0, Math.round((size * ofLabel.length) / examples.length));
  });
}

interface NlpManagerLike {
  addDocument(language: string, text: string, intent: string): void;
  train(): Promise<void>;
  process(language: string, text: string): Promise<{ intent: string }>;
}

async function benchNlpJs(train: readonly TextExample[], test: readonly TextExample[], labels: string[]): Promise<SystemFigures> {
  const { NlpManager } = createRequire(import.meta.url)('node-nlp') as { NlpManager: new (options: object) => NlpManagerLike };
  const subset = stratifiedSubset(train, NLPJS_SUBSET);
  const manager = new NlpManager({ languages: ['en'], forceNER: false, autoSave: false, nlu: { log: false } });
  for (const example of subset) manager.addDocument('en', example.text.slice(0, NLPJS_MAX_CHARS), example.label);
  const started = performance.now();
  await manager.train();
  const trainSeconds = (performance.now() - started) / 1000;
  const predict: Predict = async (texts) => Promise.all(texts.map(async (text) => (await manager.process('en', text.slice(0, NLPJS_MAX_CHARS))).intent));
  const predicted = await predict(test.map((e) => e.text));
  return {
    name: 'NLP.js (node-nlp 4.27, NlpManager)',
    trainedOn: `stratified ${subset.length}-email subset, first ${NLPJS_MAX_CHARS} characters`,
    trainSeconds,
    ...scores(labels, test.map((e) => e.label), predicted),
    ...(await latencies(predict, test.map((e) => e.text))),
    note: `trained on a stratified ${subset.length}-email subset cut to ${NLPJS_MAX_CHARS} characters, because on whole emails even 600 do not train within 5 minutes (the full ${train.length} would take far longer than 10); its "None" answers count as wrong`,
  };
}

const ms = (x: number) => `${x.toFixed(3)} ms`;
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

function markdown(result: Omit<TrainingBenchResult, 'markdown'>): string {
  const { split, systems, int8, targets } = result;
  return [
    `SpamAssassin public corpus, fixed stratified split (seed 42): ${split.train} train / ${split.validation} validation / ${split.test} test emails. Latency is per text, featurisation included, one thread.`,
    '',
    '| system | trained on | training time | test accuracy | macro F1 | p50 / p99, batch 1 | p50 / p99, batch 32 |',
    '|---|---|---|---|---|---|---|',
    ...systems.map(
      (s) =>
        `| ${s.name} | ${s.trainedOn} | ${s.trainSeconds === undefined ? '—' : `${s.trainSeconds.toFixed(1)} s`} | ${pct(s.accuracy)} | ${s.macroF1.toFixed(4)} | ${ms(s.batch1.p50Ms)} / ${ms(s.batch1.p99Ms)} | ${ms(s.batch32.p50Ms)} / ${ms(s.batch32.p99Ms)} |`,
    ),
    '',
    `INT8: ONNX file ${(int8.fp32Bytes / 1e6).toFixed(2)} MB → ${(int8.int8Bytes / 1e6).toFixed(2)} MB (${pct(int8.sizeRatio)}), test accuracy ${pct(int8.fp32Accuracy)} → ${pct(int8.int8Accuracy)}.`,
    ...systems.flatMap((s) => (s.note ? [`${s.name}: ${s.note}.`] : [])),
    '',
    '| target | measured | |',
    '|---|---|---|',
    ...targets.map((t) => `| ${t.target} | ${t.value} | ${t.met ? 'met' : 'MISSED'} |`),
  ].join('\n');
}

export async function benchTraining(): Promise<TrainingBenchResult> {
  const dir = await ensureSpamAssassinExport();
  const dataset = await loadTextDataset(SPAM_ASSASSIN_FILES.csv, dir);
  const split = splitDataset(dataset.examples);
  const testTexts = split.test.map((e) => e.text);
  const actual = split.test.map((e) => e.label);

  // opsbot: the whole training run (load, featurise, fit with early stopping, score), on this thread.
  const started = performance.now();
  const outcome = await trainTextModel({ datasetPath: SPAM_ASSASSIN_FILES.csv, workDir: dir, mode: 'full', epochs: 10, seed: 42 });
  const trainSeconds = (performance.now() - started) / 1000;
  const featurizer = new TextFeaturizer(outcome.featurizer.config, outcome.featurizer.idf);
  const fp32 = new TextModel(featurizer, outcome.network);
  const labels = fp32.labels;
  const jsPredict: Predict = (texts) => fp32.predictProba(texts).map((p) => labels[argmax(p)] as string);
  const systems: SystemFigures[] = [
    {
      name: `opsbot ${outcome.network.kind} (JS)`,
      trainedOn: `full train split, ${outcome.history.length} epochs (best ${outcome.bestEpoch})`,
      trainSeconds,
      ...scores(labels, actual, jsPredict(testTexts) as string[]),
      ...(await latencies(jsPredict, testTexts)),
    },
  ];

  // The same model through onnxruntime-node, FP32 and INT8.
  const work = await mkdtemp(join(tmpdir(), 'opsbot-bench-'));
  const quantized = quantizeNetwork(outcome.network);
  const int8Model = new TextModel(featurizer, dequantizeNetwork(quantized), quantized);
  const fp32Export = await exportTextModel(fp32, { manifestPath: join(work, 'fp32', 'model.json'), metadata: {} }, testTexts.slice(0, 32));
  const int8Export = await exportTextModel(int8Model, { manifestPath: join(work, 'int8', 'model.json'), metadata: {} }, testTexts.slice(0, 32));
  const features = testTexts.map((t) => featurizer.featurize(t));
  const targets = Int32Array.from(actual, (label) => labels.indexOf(label));
  const accuracies: number[] = [];
  for (const precision of ['fp32', 'int8'] as const) {
    const session = await OnnxTextSession.load(join(work, precision, 'model.onnx'), labels.length);
    const predict: Predict = async (texts) => (await session.predict(texts.map((t) => featurizer.featurize(t)))).map((p) => labels[argmax(p)] as string);
    accuracies.push(await onnxAccuracy(session, features, targets));
    systems.push({
      name: `opsbot ${outcome.network.kind}, ONNX ${precision.toUpperCase()} (onnxruntime-node)`,
      trainedOn: 'the model above',
      ...scores(labels, actual, await predict(testTexts)),
      ...(await latencies(predict, testTexts)),
    });
    await session.close();
  }
  await rm(work, { recursive: true, force: true });

  const nbStarted = performance.now();
  const nb = new HashedNaiveBayes(labels);
  nb.train(split.train);
  const nbSeconds = (performance.now() - nbStarted) / 1000;
  const nbPredict: Predict = (texts) => texts.map((t) => nb.predict(t));
  systems.push({
    name: 'baseline: hashed multinomial Naive Bayes (word 1–2-grams)',
    trainedOn: 'full train split, whole texts',
    trainSeconds: nbSeconds,
    ...scores(labels, actual, nbPredict(testTexts) as string[]),
    ...(await latencies(nbPredict, testTexts)),
  });
  systems.push(await benchNlpJs(split.train, split.test, labels));

  const ours = systems[0] as SystemFigures;
  const naiveBayes = systems[3] as SystemFigures;
  const [fp32Accuracy = 0, int8Accuracy = 0] = accuracies;
  const int8 = { fp32Bytes: fp32Export.onnxBytes, int8Bytes: int8Export.onnxBytes, sizeRatio: int8Export.onnxBytes / fp32Export.onnxBytes, fp32Accuracy, int8Accuracy };
  const result = {
    split: { train: split.train.length, validation: split.validation.length, test: split.test.length },
    systems,
    int8,
    targets: [
      { target: 'test accuracy ≥ Naive Bayes + 1 point', value: `${pct(ours.accuracy)} vs ${pct(naiveBayes.accuracy)}`, met: ours.accuracy >= naiveBayes.accuracy + 0.01 },
      { target: 'training ≤ 10 s', value: `${trainSeconds.toFixed(1)} s`, met: trainSeconds <= 10 },
      { target: 'inference p99 ≤ 0.2 ms per text (JS, batch 1)', value: ms(ours.batch1.p99Ms), met: ours.batch1.p99Ms <= 0.2 },
      {
        target: 'INT8 within 1 point of FP32 at ≤ 30% of its size',
        value: `${((int8Accuracy - fp32Accuracy) * 100).toFixed(2)} pt at ${pct(int8.sizeRatio)}`,
        met: Math.abs(int8Accuracy - fp32Accuracy) <= 0.01 && int8.sizeRatio <= 0.3,
      },
    ],
  };
  return { ...result, markdown: markdown(result) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${(await benchTraining()).markdown}\n`);
}
