/** `npm run train:intents`: retrains the intent model from intents/data and writes intents/model/ (the same bytes every run). */
import { mkdir, writeFile } from 'node:fs/promises';
import { INTENT_MODEL_DIR, INTENT_MODEL_JSON, INTENT_MODEL_ONNX } from '../nl/intent-model-paths.js';
import { DEFAULT_INTENT_SEED, intentModelJson, trainIntentModel } from './train-intent-model.js';

const seed = Number(process.env.OPSBOT_INTENT_SEED ?? DEFAULT_INTENT_SEED);
const { onnx, file } = await trainIntentModel(seed);
await mkdir(INTENT_MODEL_DIR, { recursive: true });
await writeFile(INTENT_MODEL_ONNX, onnx);
await writeFile(INTENT_MODEL_JSON, intentModelJson(file));
process.stdout.write(
  `wrote ${INTENT_MODEL_ONNX} (${onnx.byteLength} bytes): ${file.training.examples} sentences, ${file.training.epochs} epochs (best ${file.training.bestEpoch}); ` +
    `calibration slice: accuracy ${file.calibration.accuracy}, ECE ${file.calibration.eceBefore} → ${file.calibration.ece} at T=${file.temperature}; thresholds ${JSON.stringify(file.thresholds)}\n`,
);
