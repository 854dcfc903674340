import { fileURLToPath } from 'node:url';
import { externalTrainerSchema, type ExternalTrainerConfig } from '../../core/index.js';

/** A model's external-trainer setting that runs a script of test/fixtures/external-trainers with this Node. */
export function fixtureTrainer(script: string): ExternalTrainerConfig {
  const path = fileURLToPath(new URL(`../fixtures/external-trainers/${script}`, import.meta.url));
  return externalTrainerSchema.parse({ command: `"${process.execPath}" "${path}" --data {dataset} --epochs {epochs} --out {artifact}`, timeoutSeconds: 30 });
}
