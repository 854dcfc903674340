import { join } from 'node:path';
import type { ModelVersion } from '../../core/index.js';
import { openSqliteStateStore } from '../../store/index.js';
import { startJobRunner, type JobRunnerHarness } from './job-runner-harness.js';
import { writeSentimentCsv } from './text-dataset.js';

export interface ServableModel {
  harness: JobRunnerHarness;
  /** The data directory: artifacts, and opsbot.db with the same registry, as `opsbot serve-model` reads it. */
  dataDir: string;
  fp32: ModelVersion;
  int8: ModelVersion;
  /** Texts of the training data's kind, for requests. */
  texts: string[];
}

/**
 * A small sentiment model trained by the real trainer (v1, FP32) and quantized (v2, INT8),
 * in seconds; the registry is copied into the data directory's SQLite file for the CLI.
 */
export async function trainServableModel(model = 'sentiment'): Promise<ServableModel> {
  const harness = startJobRunner();
  writeSentimentCsv(harness.dir, 240, 'sentiment.csv');
  await harness.run({ action: 'train', args: { model, dataset: 'sentiment.csv', epochs: 3 } });
  await harness.run({ action: 'quantize', args: { model, version: '1' } });
  const [fp32, int8] = (await harness.store.registry.listVersions(model)) as [ModelVersion, ModelVersion];
  const dataDir = join(harness.dir, 'state');
  const file = openSqliteStateStore(join(dataDir, 'opsbot.db'));
  for (const { version: _version, createdAt: _createdAt, ...entry } of [fp32, int8]) await file.registry.registerVersion(entry);
  await file.close();
  const texts = ['the app is fast and reliable', 'the build is slow and buggy today', 'really great dashboard', 'awful laggy release', 'stable clean api'];
  return { harness, dataDir, fp32, int8, texts };
}
