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
    // Gone already (a prune beside this one removed it): nothing to sweep.
    const modified = (await stat(path).catch(() => undefined))?.mtimeMs;
    if (modified === undefined || now - modified < minAgeMinutes * 60_000) continue;
    // A job that finished after the list above was read may have registered this very directory.
    if (await isVersionHome(deps, model, entry.name)) continue;
    bytes += await directorySize(path);
    await rm(path, { recursive: true, force: true });
    orphans++;
  }
  return { orphans, bytes };
}

async function isVersionHome(deps: RetentionDeps, model: string, directory: string): Promise<boolean> {
  const versions = await deps.store.registry.listVersions(model);
  return versions.some((v) => basename(versionHome(model, v.artifactPath) ?? '') === directory);
}

/** Version numbers that queued or running jobs name for this model (evaluate v5, quantize v5, deploy v5…): their files must stay. */
async function versionsInUse(deps: RetentionDeps, model: string): Promise<Set<number>> {
  const jobs = await deps.store.jobs.list({ status: ['queued', 'active'] });
  const named = jobs.filter((job) => job.args.model === model && typeof job.args.version === 'string' && /^\d+$/.test(job.args.version));
  return new Set(named.map((job) => Number(job.args.version)));
}

/**
 * Keeps a model's newest `keep` versions, every deployed one, the newest FP32 one (incremental
 * training, fine-tunes and quantize start from it) and those queued or running jobs name;
 * removes the others, then sweeps its orphaned files.
 */
export async function pruneModel(deps: RetentionDeps, model: string, keep: number, orphanMinutes: number): Promise<PruneOutcome> {
  const versions = await deps.store.registry.listVersions(model);
  const deployed = await deployedVersions(deps.store.deployments, model, deps.environments);
  const inUse = await versionsInUse(deps, model);
  const newestFp32 = versions.filter((v) => !v.params.quantized).at(-1)?.version;
  const newest = new Set([...versions.slice(-keep).map((v) => v.version), ...inUse, ...(newestFp32 === undefined ? [] : [newestFp32])]);
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
