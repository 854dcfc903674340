import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { JobRecord, StateStore } from '../../core/index.js';
import { artifactPathFor } from './model-artifact.js';

/**
 * Deletes what an unfinished job left in the data directory: its attempts' half-written
 * directories (see ArtifactAttempt), and its own directory — a tune's trial files —
 * unless a registered version lives there. Jobs that write no model leave nothing.
 */
export async function discardJobFiles(deps: { dataDir: string; store: Pick<StateStore, 'registry'> }, job: Pick<JobRecord, 'id' | 'args'>): Promise<void> {
  const model = job.args.model;
  if (typeof model !== 'string' || model === '') return;
  const jobDir = resolve(deps.dataDir, dirname(artifactPathFor(model, job.id)));
  const modelDir = dirname(jobDir);
  const entries = await readdir(modelDir).catch(() => [] as string[]);
  const attempts = entries.filter((name) => name.startsWith(`${basename(jobDir)}.attempt-`)).map((name) => join(modelDir, name));
  const registered = (await deps.store.registry.listVersions(model)).some((version) => version.jobId === job.id);
  await Promise.all([...attempts, ...(registered ? [] : [jobDir])].map((dir) => rm(dir, { recursive: true, force: true })));
}
