import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionLimitsFrom, defaultConfig, newJobId, silentLogger, type JobAction, type JobRecord, type StateStore } from '../../core/index.js';
import { openSqliteStateStore } from '../../store/index.js';
import { InProcessJobQueue } from '../../workers/index.js';
import { createJobRunner } from '../../workers/job-runner.js';
import { alice, terminal } from './fixtures.js';

export interface InProcessJobs {
  /** The work directory (datasets) and, under `state/`, the data directory (artifacts). */
  dir: string;
  dataDir: string;
  store: StateStore;
  queue: InProcessJobQueue;
  /** Records and enqueues a job, as the dispatcher does; returns its id. */
  submit(action: JobAction): Promise<string>;
  /** Cancels a job as the `cancel` command does: one that had not started is marked cancelled here. */
  cancel(jobId: string): Promise<void>;
  job(jobId: string): Promise<JobRecord>;
  close(): Promise<void>;
}

/**
 * The embedded default without a chat: the in-process queue running the real job
 * runner and handlers on an in-memory SQLite store, in a temporary directory.
 */
export function startInProcessJobs(options: { concurrency?: number; attempts?: number; trainingProcessEntry?: URL } = {}): InProcessJobs {
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-jobs-'));
  const dataDir = join(dir, 'state');
  const store = openSqliteStateStore(':memory:');
  const config = defaultConfig();
  const environments = config.environments.map((env) => env.name);
  const queue = new InProcessJobQueue({ concurrency: options.concurrency ?? 2, attempts: options.attempts ?? 1, backoffMs: 50 });
  const runner = createJobRunner({
    store,
    dataDir,
    workDir: dir,
    log: silentLogger,
    limits: { ...actionLimitsFrom(config), environments },
    environments,
    ...(options.trainingProcessEntry ? { trainingProcessEntry: options.trainingProcessEntry } : {}),
  });
  queue.startWorker(runner, 'test-worker');
  return {
    dir,
    dataDir,
    store,
    queue,
    submit: async (action) => {
      const jobId = newJobId();
      await store.jobs.create({ id: jobId, kind: action.action, args: action.args, requestedBy: alice, conversation: terminal, text: 'typed' });
      await queue.enqueue({ jobId, action, requestedBy: alice, conversation: terminal });
      return jobId;
    },
    cancel: async (jobId) => {
      if ((await queue.cancel(jobId)) === 'removed') await store.jobs.finish(jobId, { status: 'cancelled', error: 'Cancelled before it started.' });
    },
    job: async (jobId) => {
      const record = await store.jobs.get(jobId);
      if (!record) throw new Error(`no job ${jobId}`);
      return record;
    },
    close: async () => {
      await queue.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
