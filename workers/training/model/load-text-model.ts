import { join } from 'node:path';
import { PermanentJobError, type ModelVersion } from '../../../core/index.js';
import { readTextModel } from './model-files.js';
import type { TextModel } from './text-model.js';

/** The trained model of a registered version, ready to predict; a missing or unreadable artifact is a permanent failure. */
export async function loadTextModel(dataDir: string, version: Pick<ModelVersion, 'model' | 'version' | 'artifactPath' | 'params'>): Promise<TextModel> {
  if (version.params.trainer === 'external') {
    throw new PermanentJobError(
      `${version.model} v${version.version} was made by its own external trainer, whose artifact opsbot cannot run; evaluate or quantize it with that trainer's tooling`,
    );
  }
  try {
    return await readTextModel(join(dataDir, version.artifactPath));
  } catch (error) {
    throw new PermanentJobError(
      `the artifact of ${version.model} v${version.version} cannot be read (${version.artifactPath}: ${(error as Error).message}); retrain the model`,
      { cause: error },
    );
  }
}
