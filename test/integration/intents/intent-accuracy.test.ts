import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { INTENT_MODEL_JSON, INTENT_MODEL_ONNX } from '../../../intents/nl/intent-model-paths.js';
import { heldOutUtterances, scoreHeldOut, type HeldOutScores } from '../../../intents/training/score-held-out.js';
import { loadTemplates } from '../../../intents/training/intent-data.js';
import { DEFAULT_INTENT_SEED, intentModelJson, trainIntentModel } from '../../../intents/training/train-intent-model.js';

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

describe('intent data', () => {
  it('has at least 60 phrasings per action and 300 out-of-scope sentences to train on, and a held-out set no training reads', () => {
    const templates = loadTemplates();
    const count = (heldOut: boolean) => {
      const counts = new Map<string, number>();
      for (const t of templates.filter((t) => t.heldOut === heldOut)) counts.set(t.label, (counts.get(t.label) ?? 0) + 1);
      return counts;
    };
    const training = count(false);
    for (const [label, n] of training) expect([label, n >= (label === 'none' ? 300 : 60)]).toEqual([label, true]);
    expect(training.size).toBe(13);
    // Every intent and chatter are measured.
    expect(count(true).size).toBe(13);
    const trainTexts = new Set(templates.filter((t) => !t.heldOut).map((t) => `${t.label}\t${t.text}`));
    expect(heldOutUtterances().every((u) => !trainTexts.has(`${u.label}\t${u.template}`))).toBe(true);
    expect(templates.filter((t) => t.heldOut).every((t) => !t.calibration)).toBe(true);
  });
});

describe('the shipped intent model', () => {
  it('is what `npm run train:intents` makes from the data and the seed, byte for byte', async () => {
    const { onnx, file } = await trainIntentModel(DEFAULT_INTENT_SEED);
    expect(sha256(onnx)).toBe(sha256(readFileSync(INTENT_MODEL_ONNX)));
    expect(sha256(intentModelJson(file))).toBe(sha256(readFileSync(INTENT_MODEL_JSON)));
  }, 120_000);

  describe('on the held-out split, as `opsbot parse` answers', () => {
    let withRegistry: HeldOutScores;
    let withoutRegistry: HeldOutScores;
    beforeAll(async () => {
      withRegistry = await scoreHeldOut({ registry: true });
      withoutRegistry = await scoreHeldOut({ registry: false });
    }, 120_000);

    // The targets are 97% intents, 92% full slots, 95% rejection of chatter with at most
    // 3% of requests turned away. The held-out set (intents/data/held-out/, round 2026-12-03d) was
    // written blind for this measurement before the round's work and scored once, after it (less 118
    // templates its writers happened to word exactly as training ones, e.g. "kill {job}"): 99.3%
    // intents, 97.7% full slots, 98.9% rejection (3 of 270 chatter sentences acted on), 0.41% (3 of
    // 738) requests turned away with a registry; 98.5%, 89.6%, 98.1% and 1.2% without one. A review's
    // fixes after that score (a shouted "ERROR: …, roll it back" is a request, a bound of a metric no
    // autoscaler bound) give 99.3%, 97.7%, 97.4% and 0.41% on the same set, no longer blind for them.
    // The three sets scored before it the same day read 96.2–96.5% of intents (BENCHMARKS.md). These floors guard
    // the measured figures; the next round moves this set into training and measures on a new one
    // (intents/data/README.md).
    it('names the intent of in-scope sentences', () => {
      expect(withRegistry.intentAccuracy).toBeGreaterThanOrEqual(0.99);
      expect(withoutRegistry.intentAccuracy).toBeGreaterThanOrEqual(0.984);
    });

    it('fills every argument exactly (full-slot match)', () => {
      expect(withRegistry.slotExactMatch).toBeGreaterThanOrEqual(0.975);
      expect(withoutRegistry.slotExactMatch).toBeGreaterThanOrEqual(0.894);
    });

    it('turns away chatter, and few requests', () => {
      expect(withRegistry.outOfScopeRejection).toBeGreaterThanOrEqual(0.97);
      expect(withRegistry.falseRejection).toBeLessThanOrEqual(0.005);
      expect(withoutRegistry.outOfScopeRejection).toBeGreaterThanOrEqual(0.965);
      expect(withoutRegistry.falseRejection).toBeLessThanOrEqual(0.013);
    });

    it('states calibrated confidence (expected calibration error under 5%)', () => {
      expect(withRegistry.ece).toBeLessThan(0.05);
    });
  });
});
