import { readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { deployedVersions, TERMINAL_JOB_STATUSES, type ModelVersion, type StateStore } from '../../core/index.js';
import { directorySize } from './directory-size.js';
import { versionHome } from './version-home.js';

export interface RetentionDeps {
  store: StateStore;
  /** Where model artifacts are written. */
  dataDir: string;
  /** Every configured environment: a version any of them runs is never removed. */
  environments: readonly string[];
}

export interface PruneOutcome {
  /** Version numbers removed, oldest first. */
  deleted: number[];
  /** Older versions kept because an environment runs them. */
  keptDeployed: number[];
  /** Directories of finished jobs that no version used. */
  orphans: number;
  bytes: number;
}

/** A job directory is named after its job (an attempt may add a suffix): j-4f9k2a7q, j-4f9k2a7q.2. */
const JOB_DIRECTORY = /^j-[0-9a-z]+/;

/**
 * Removes a version from the registry, then its files, and returns the bytes freed. In
 * that order: a crash in between leaves files no version uses, which the orphan sweep
 * removes, never a version whose files are gone.
 */
export async function deleteVersionFiles(deps: RetentionDeps, version: ModelVersion): Promise<number> {
  const home = versionHome(version.model, version.artifactPath);
  const bytes = home ? await directorySize(join(deps.dataDir, home)) : 0;
  await deps.store.registry.deleteVersion(version.model, version.version);
  if (home) await rm(join(deps.dataDir, home), { recursive: true, force: true });
  return bytes;
}

/**
 * Removes the directories under models/<model>/ that no version uses, once their job has
 * finished (or is unknown) and they are `minAgeMinutes` old: what a cancelled or failed job,
 * or a tune's lost trials, left behind. A running job's files are never touched.
 */
export async function sweepOrphans(deps: RetentionDeps, model: string, minAgeMinutes: number, now = Date.now()): Promise<{ orphans: number; bytes: number }> {
  const modelDir = join(deps.dataDir, 'models', model);
  const entries = await readdir(modelDir, { withFileTypes: true }).catch(() => []);
  const versions = await deps.store.registry.listVersions(model);
  const homes = new Set(versions.flatMap((v) => versionHome(model, v.artifactPath) ?? []).map((home) => basename(home)));
  let orphans = 0;
  let bytes = 0;
  for (const entry of entries) {
    const jobId = JOB_DIRECTORY.exec(entry.name)?.[0];
    if (!entry.isDirectory() || homes.has(entry.name) || !jobId) continue;
    const job = await deps.store.jobs.get(jobId);
    if (job && !TERMINAL_JOB_STATUSES.includes(job.status)) continue;
    const path = join(modelDir, entry.name);
    const modified = (await stat(path)).mtimeMs;
    if (now - modified < minAgeMinutes * 60_000) continue;
    bytes += await directorySize(path);
    await rm(path, { recursive: true, force: true });
    orphans++;
  }
  return { orphans, bytes };
}

/** Keeps a model's newest `keep` versions and every deployed one, removes the others, then sweeps its orphaned files. */
export async function pruneModel(deps: RetentionDeps, model: string, keep: number, orphanMinutes: number): Promise<PruneOutcome> {
  const versions = await deps.store.registry.listVersions(model);
  const deployed = await deployedVersions(deps.store.deployments, model, deps.environments);
  const newest = new Set(versions.slice(-keep).map((v) => v.version));
  const older = versions.filter((v) => !newest.has(v.version));
  let bytes = 0;
  const deleted: number[] = [];
  for (const version of older.filter((v) => !deployed.has(v.version))) {
    bytes += await deleteVersionFiles(deps, version);
    deleted.push(version.version);
  }
  const swept = await sweepOrphans(deps, model, orphanMinutes);
  return { deleted, keptDeployed: older.filter((v) => deployed.has(v.version)).map((v) => v.version), orphans: swept.orphans, bytes: bytes + swept.bytes };
}
