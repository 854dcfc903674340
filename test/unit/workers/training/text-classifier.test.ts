import { PermanentJobError } from '../../../../core/index.js';
import { TextModel, TextFeaturizer, trainTextModel, type BaseModel, type TrainingOutcome } from '../../../../workers/training/index.js';
import { DEFAULT_TRAINING_SETTINGS } from '../../../../workers/training/training-settings.js';
import type { DenseLayer } from '../../../../workers/training/network/text-network.js';
import { startingNetwork } from '../../../../workers/training/starting-network.js';
import { fixtureRequest, fixtureRows, tempDir, toCsv, writeIn } from './training-fixtures.js';

/** Byte equality: jest's toEqual walks big typed arrays element by element, for seconds. */
const same = (a: ArrayBufferView | undefined, b: ArrayBufferView | undefined) =>
  a !== undefined && b !== undefined && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
const asBase = (outcome: TrainingOutcome, name: string): BaseModel => ({ name, featurizer: outcome.featurizer, network: outcome.network });

describe('the built-in text classifier on the SpamAssassin fixture', () => {
  let softmax: TrainingOutcome;
  let mlp: TrainingOutcome;
  beforeAll(async () => {
    softmax = await trainTextModel(fixtureRequest({ algorithm: 'softmax' }));
    mlp = await trainTextModel(fixtureRequest({ algorithm: 'mlp' }));
  });

  it.each([
    ['softmax', () => softmax],
    ['mlp', () => mlp],
  ])('trains %s: loss falls, held-out accuracy ≥ 80%, and the curve has every epoch', (kind, outcome) => {
    const { history, test, validation, network } = outcome();
    expect(network.kind).toBe(kind);
    expect(network.labels).toEqual(['ham', 'spam']);
    expect(history.map((m) => m.epoch)).toEqual(history.map((_, i) => i + 1));
    expect((history[history.length - 1] as (typeof history)[number]).loss).toBeLessThan((history[0] as (typeof history)[number]).loss);
    expect(test?.examples).toBe(60);
    expect(test?.accuracy).toBeGreaterThanOrEqual(0.8);
    expect(test?.macroF1).toBeGreaterThanOrEqual(0.8);
    expect(validation.examples).toBe(30);
    expect(outcome().classBalance).toEqual({ ham: { train: 105, validation: 15, test: 30 }, spam: { train: 105, validation: 15, test: 30 } });
  });

  it('is reproducible: the same request gives the same weights', async () => {
    const again = await trainTextModel(fixtureRequest({ algorithm: 'softmax' }));
    expect(again.history).toEqual(softmax.history);
    expect(same(again.network.layers[0]?.weights, softmax.network.layers[0]?.weights)).toBe(true);
  });

  it('predicts with the trained featurizer and network, probabilities summing to 1', () => {
    const model = new TextModel(new TextFeaturizer(softmax.featurizer.config, softmax.featurizer.idf), softmax.network);
    const [p] = model.predictProba([fixtureRows()[0]?.text ?? '']);
    expect(p).toHaveLength(2);
    expect((p?.[0] ?? 0) + (p?.[1] ?? 0)).toBeCloseTo(1, 6);
  });

  it.each([
    ['softmax', () => softmax],
    ['mlp', () => mlp],
  ])('predicts %s texts in a batch exactly as one at a time, each in its own array', (_, outcome) => {
    const model = new TextModel(new TextFeaturizer(outcome().featurizer.config, outcome().featurizer.idf), outcome().network);
    const texts = fixtureRows().slice(0, 8).map((row) => row.text);
    const batch = model.predictProba(texts);
    texts.forEach((text, i) => expect(same(batch[i], model.predictProba([text])[0])).toBe(true));
    expect(new Set(batch).size).toBe(texts.length);
  });

  it('stops early when validation loss stops improving, and keeps the best epoch’s weights', async () => {
    const outcome = await trainTextModel(fixtureRequest({ epochs: 40, settings: { learningRate: 0.5, patience: 2 } }));
    expect(outcome.stoppedEarly).toBe(true);
    expect(outcome.history.length).toBeLessThan(40);
    const losses = outcome.history.map((m) => m.valLoss);
    expect(outcome.bestEpoch).toBe(losses.indexOf(Math.min(...losses)) + 1);
    expect(outcome.history.length).toBe(outcome.bestEpoch + 2);
    expect(outcome.validation.loss).toBeCloseTo(Math.min(...losses), 10);
  });

  it('incremental: starts from the base weights, so its first epoch’s loss is lower than from scratch', async () => {
    const incremental = await trainTextModel(fixtureRequest({ mode: 'incremental', base: asBase(softmax, 'spam v1'), epochs: 2 }));
    expect(incremental.history[0]?.loss).toBeLessThan((softmax.history[0]?.loss ?? 0) / 2);
    expect(incremental.network.labels).toEqual(softmax.network.labels);
    expect(same(incremental.featurizer.idf, softmax.featurizer.idf)).toBe(true); // same features
  });

  it('incremental: refuses new labels and another algorithm', async () => {
    const { dir, remove } = tempDir();
    try {
      const rows = fixtureRows().map((r) => [r.text, r.group]);
      writeIn(dir, 'groups.csv', toCsv(['text', 'label'], rows));
      const base = asBase(softmax, 'spam v1');
      await expect(trainTextModel(fixtureRequest({ mode: 'incremental', base, datasetPath: 'groups.csv', workDir: dir }))).rejects.toThrow(
        /incremental training keeps the labels of spam v1 \(ham, spam\), but the dataset has new ones: easy-ham-1, .*; to learn new labels use --mode finetune/,
      );
      await expect(trainTextModel(fixtureRequest({ mode: 'incremental', base, algorithm: 'mlp' }))).rejects.toBeInstanceOf(PermanentJobError);
    } finally {
      remove();
    }
  });

  it('finetune: learns a new label set on the base model’s features, reinitialising only the output layer', async () => {
    const { dir, remove } = tempDir();
    try {
      const family = (group: string) => (group.startsWith('spam') ? 'spam' : group.startsWith('hard') ? 'hard-ham' : 'easy-ham');
      writeIn(dir, 'families.csv', toCsv(['text', 'label'], fixtureRows().map((r) => [r.text, family(r.group)])));
      const base = asBase(mlp, 'spam-mlp v1');
      const labels = ['easy-ham', 'hard-ham', 'spam'];
      const start = startingNetwork({ mode: 'finetune', kind: 'mlp', base, labels, settings: DEFAULT_TRAINING_SETTINGS.mlp, seed: 42 });
      expect(same(start.layers[0]?.weights, mlp.network.layers[0]?.weights)).toBe(true);
      expect(start.layers[1]).toMatchObject({ rows: 16, cols: 3 });

      const tuned = await trainTextModel(fixtureRequest({ mode: 'finetune', base, datasetPath: 'families.csv', workDir: dir }));
      expect(tuned.network.kind).toBe('mlp');
      expect(tuned.network.labels).toEqual(labels);
      expect(same(tuned.featurizer.idf, mlp.featurizer.idf)).toBe(true);
      expect(tuned.test?.accuracy).toBeGreaterThan(0.6);
      const softmaxTuned = await trainTextModel(fixtureRequest({ mode: 'finetune', base: asBase(softmax, 'spam v1'), datasetPath: 'families.csv', workDir: dir, epochs: 2 }));
      expect(softmaxTuned.network.labels).toEqual(labels);
      expect(softmaxTuned.network.layers[0]).toMatchObject({ cols: 3 });

      // A label both sets share starts from the base's weights; a new one from scratch.
      const softmaxStart = startingNetwork({ mode: 'finetune', kind: 'softmax', base: asBase(softmax, 'spam v1'), labels, settings: DEFAULT_TRAINING_SETTINGS.softmax, seed: 42 });
      const column = (layer: DenseLayer, col: number) => Array.from({ length: layer.rows }, (_, row) => layer.weights[row * layer.cols + col]);
      const baseLayer = softmax.network.layers[0] as DenseLayer;
      const startLayer = softmaxStart.layers[0] as DenseLayer;
      const spam = softmax.network.labels.indexOf('spam');
      expect(column(startLayer, labels.indexOf('spam'))).toEqual(column(baseLayer, spam));
      expect(startLayer.bias[labels.indexOf('spam')]).toBe(baseLayer.bias[spam]);
      expect(column(startLayer, labels.indexOf('hard-ham')).every((w) => w === 0)).toBe(true);
      const mlpStart = startingNetwork({ mode: 'finetune', kind: 'mlp', base, labels, settings: DEFAULT_TRAINING_SETTINGS.mlp, seed: 42 });
      expect(column(mlpStart.layers[1] as DenseLayer, labels.indexOf('spam'))).toEqual(column(mlp.network.layers[1] as DenseLayer, mlp.network.labels.indexOf('spam')));
    } finally {
      remove();
    }
  });
});
