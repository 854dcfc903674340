import { dirname, join } from 'node:path';
import { artifactPathFor } from '../handlers/model-artifact.js';

/**
 * Where trial `n` of a tune job writes its model, relative to the data directory: a
 * directory per trial inside the job's own, so the winner's files stay where the
 * registry points and the losers' can be deleted whole.
 */
export function trialArtifactPath(model: string, jobId: string, trial: number): string {
  return join(dirname(artifactPathFor(model, jobId)), `trial-${trial}`, 'model.json');
}
