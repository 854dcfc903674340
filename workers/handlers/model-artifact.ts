import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PermanentJobError, type ModelVersion } from '../../core/index.js';
import type { SoftmaxModel } from '../training/softmax-classifier.js';

/** Artifacts are written under a per-job path first, so a retried job overwrites its own files only. */
export function artifactPathFor(model: string, jobId: string): string {
  return join('models', model, jobId, 'model.json');
}

export async function writeModelArtifact(dataDir: string, relativePath: string, model: SoftmaxModel): Promise<void> {
  const absolute = join(dataDir, relativePath);
  await mkdir(dirname(absolute), { recursive: true });
  await writeFile(absolute, JSON.stringify(model));
}

export async function readModelArtifact(dataDir: string, version: ModelVersion): Promise<SoftmaxModel> {
  try {
    return JSON.parse(await readFile(join(dataDir, version.artifactPath), 'utf8')) as SoftmaxModel;
  } catch (error) {
    throw new PermanentJobError(`the artifact of ${version.model} v${version.version} cannot be read (${version.artifactPath}); retrain the model`, {
      cause: error,
    });
  }
}
