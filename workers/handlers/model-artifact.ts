import { join } from 'node:path';

/**
 * Where a job writes its model: a directory per job, so a retried job overwrites its
 * own files only, holding model.json (featurizer, labels, layout), weights.bin and
 * model.onnx. The registry records the model.json path, relative to the data directory.
 */
export function artifactPathFor(model: string, jobId: string): string {
  return join('models', model, jobId, 'model.json');
}
