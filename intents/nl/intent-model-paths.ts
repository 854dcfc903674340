import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where the shipped intent model lives: intents/model/ of the package. This file runs from
 * intents/nl/ (tests, tsx) or dist/intents/nl/ (the built CLI), so both are tried.
 */
function modelDir(): string {
  const candidates = [new URL('../model/', import.meta.url), new URL('../../../intents/model/', import.meta.url)];
  const found = candidates.find((url) => existsSync(new URL('intent-model.onnx', url)));
  return fileURLToPath(found ?? candidates[0]!);
}

export const INTENT_MODEL_DIR = modelDir();
export const INTENT_MODEL_ONNX = `${INTENT_MODEL_DIR}intent-model.onnx`;
export const INTENT_MODEL_JSON = `${INTENT_MODEL_DIR}intent-model.json`;
