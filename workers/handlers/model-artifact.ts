import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { JobLockLostError, PermanentJobError, type JobContext } from '../../core/index.js';
import type { HandlerDeps } from './handler-deps.js';

/**
 * Where a job's model ends up: a directory per job, holding model.json (featurizer,
 * labels, layout), weights.bin and model.onnx. The registry records the model.json
 * path, relative to the data directory.
 */
export function artifactPathFor(model: string, jobId: string): string {
  return join('models', model, jobId, 'model.json');
}

/** Throws JobLockLostError once this attempt no longer holds its job, so it commits nothing. */
export async function assertOwnsJob(context: JobContext): Promise<void> {
  if (context.signal.reason instanceof JobLockLostError) throw context.signal.reason;
  if ((await context.ownsJob?.()) === false) throw new JobLockLostError();
}

const isNotEmpty = (error: unknown) => ['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '');

/**
 * One attempt's directory for a directory it produces: `<dir>.attempt-<n>-<random>`,
 * renamed into place only on success, so two attempts of the same job (one whose
 * queue lock was lost and one that took over) never write into the same files, and a
 * failed or cancelled attempt leaves nothing half-written where the registry looks.
 */
export class ArtifactAttempt {
  readonly dir: string;

  constructor(
    /** Absolute: where the directory belongs once committed. */
    readonly finalDir: string,
    attempt: number,
  ) {
    this.dir = `${finalDir}.attempt-${attempt}-${randomBytes(4).toString('hex')}`;
  }

  /** A path inside this attempt's directory. */
  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  /**
   * Moves the files into place once the attempt is known to still hold its job. A
   * directory already there is an earlier attempt's: replaced when `mayReplace` says
   * nothing uses it (it crashed before registering), else this attempt lost the race.
   */
  async commit(context: JobContext, mayReplace: () => Promise<boolean> = async () => true): Promise<void> {
    try {
      await assertOwnsJob(context);
      try {
        await rename(this.dir, this.finalDir);
        return;
      } catch (error) {
        if (!isNotEmpty(error)) throw error;
      }
      // This attempt holds the job (checked above), so the attempt that registered is gone: the job
      // ends here, failed for good and saying so, instead of retraining on every retry (or staying active).
      if (!(await mayReplace())) throw new PermanentJobError('an earlier attempt of this job already stored and registered its result; this attempt changed nothing');
      await rm(this.finalDir, { recursive: true, force: true });
      await rename(this.dir, this.finalDir);
    } catch (error) {
      await this.discard();
      throw error;
    }
  }

  /** Runs `work`, which writes into this attempt's directory, then commits; on any failure the directory is deleted. */
  async produce<T>(context: JobContext, mayReplace: () => Promise<boolean>, work: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await work();
    } catch (error) {
      await this.discard();
      throw error;
    }
    await this.commit(context, mayReplace);
    return result;
  }

  discard(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * Runs `work` with a fresh attempt directory for the job's version directory (the one
 * artifactPathFor names), committed on success. A version directory already there is
 * a crashed attempt's leftover, replaced, unless a registered version comes from this job.
 */
export function produceVersion<T>(deps: HandlerDeps, model: string, jobId: string, context: JobContext, work: (files: ArtifactAttempt) => Promise<T>): Promise<T> {
  const files = new ArtifactAttempt(resolve(deps.dataDir, dirname(artifactPathFor(model, jobId))), context.attempt);
  const unused = async () => !(await deps.store.registry.listVersions(model)).some((version) => version.jobId === jobId);
  return files.produce(context, unused, () => work(files));
}
