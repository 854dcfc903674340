import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { INTENT_MODEL_JSON, INTENT_MODEL_ONNX } from '../../../intents/nl/intent-model-paths.js';
import { heldOutUtterances, scoreHeldOut, type HeldOutScores } from '../../../intents/training/score-held-out.js';
import { loadTemplates } from '../../../intents/training/intent-data.js';
import { DEFAULT_INTENT_SEED, intentModelJson, trainIntentModel } from '../../../intents/training/train-intent-model.js';

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

describe('intent data', () => {
  it('has at least 60 phrasings per action and 300 out-of-scope sentences, and a held-out fifth no training reads', () => {
    const templates = loadTemplates();
    const counts = new Map<string, number>();
    for (const t of templates) counts.set(t.label, (counts.get(t.label) ?? 0) + 1);
    for (const [label, count] of counts) expect([label, count >= (label === 'none' ? 300 : 60)]).toEqual([label, true]);
    expect(counts.size).toBe(13);
    const heldOut = templates.filter((t) => t.heldOut).length / templates.length;
    expect(heldOut).toBeGreaterThan(0.15);
    expect(heldOut).toBeLessThan(0.25);
    const trainTexts = new Set(templates.filter((t) => !t.heldOut).map((t) => `${t.label}\t${t.text}`));
    expect(heldOutUtterances().every((u) => !trainTexts.has(`${u.label}\t${u.template}`))).toBe(true);
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
    // 3% of requests turned away. The held-out split was drawn afresh (HELD_OUT_SALT
    // held-out-2026-12-d, before any of the work it measures was looked at; all error analysis used
    // the train split's cross-validation) and scored once, after the data and model work: 95.4%
    // intents, 95.1% full slots, 95.1% rejection, 3.0% (37 of 1229) requests turned away with a
    // registry; 93.0%, 87.9%, 92.1% and 5.1% without one (BENCHMARKS.md). These floors guard that
    // measurement; the gap to the intent target is open and the false-rejection one is missed by a
    // hair (3.01%). Raise them only from a split nobody has looked at.
    it('names the intent of in-scope sentences', () => {
      expect(withRegistry.intentAccuracy).toBeGreaterThanOrEqual(0.95);
      expect(withoutRegistry.intentAccuracy).toBeGreaterThanOrEqual(0.93);
    });

    it('fills every argument exactly (full-slot match)', () => {
      expect(withRegistry.slotExactMatch).toBeGreaterThanOrEqual(0.95);
      expect(withoutRegistry.slotExactMatch).toBeGreaterThanOrEqual(0.87);
    });

    it('turns away chatter, and few requests', () => {
      expect(withRegistry.outOfScopeRejection).toBeGreaterThanOrEqual(0.95);
      expect(withRegistry.falseRejection).toBeLessThanOrEqual(0.031);
      expect(withoutRegistry.outOfScopeRejection).toBeGreaterThanOrEqual(0.92);
      expect(withoutRegistry.falseRejection).toBeLessThanOrEqual(0.052);
    });

    it('states calibrated confidence (expected calibration error under 5%)', () => {
      expect(withRegistry.ece).toBeLessThan(0.05);
    });
  });
});
