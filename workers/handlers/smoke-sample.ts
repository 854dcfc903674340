import type { Logger, ModelVersion } from '../../core/index.js';
import { loadTextDataset } from '../training/index.js';
import { heldOut } from './held-out-split.js';

/** How many texts the idle colour answers before a promotion: enough to compare label mixes, quick to run. */
export const SMOKE_TEST_TEXTS = 50;

/**
 * The smoke test's sample: the first texts of the version's own held-out split. A dataset
 * that is gone or changed still lets the deploy go ahead, with health checks only (the log says why).
 */
export async function smokeSample(version: ModelVersion, workDir: string, log: Logger, size = SMOKE_TEST_TEXTS): Promise<string[]> {
  try {
    const dataset = await loadTextDataset(version.dataset, workDir, { purpose: 'evaluate' });
    return heldOut(dataset.examples, version).examples.slice(0, size).map((e) => e.text);
  } catch (error) {
    log.warn({ err: error, model: version.model, version: version.version }, 'no smoke-test sample: the version\'s dataset cannot be read');
    return [];
  }
}
