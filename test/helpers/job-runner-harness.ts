import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  NO_CHILDREN,
  actionLimitsFrom,
  defaultConfig,
  newJobId,
  silentLogger,
  type JobAction,
  type JobContext,
  type JobResult,
  type OpsbotConfig,
  type StateStore,
} from '../../core/index.js';
import { openSqliteStateStore } from '../../store/index.js';
import { createJobRunner } from '../../workers/job-runner.js';
import { alice, terminal } from './fixtures.js';

export interface JobRunnerHarness {
  /** The work directory (datasets) and, under `state/`, the data directory (artifacts). */
  dir: string;
  store: StateStore;
  /** Runs one job to its end, as one attempt that will not be retried. */
  run(action: JobAction): Promise<JobResult>;
  close(): Promise<void>;
}

/**
 * The real job runner and handlers on an in-memory SQLite store and a temporary work
 * directory, without a queue: for tests of what a job replies or fails with.
 */
export function startJobRunner(options: { environments?: readonly string[]; models?: OpsbotConfig['models'] } = {}): JobRunnerHarness {
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-runner-'));
  const store = openSqliteStateStore(':memory:');
  const config = defaultConfig();
  const environments = options.environments ?? config.environments.map((env) => env.name);
  const runner = createJobRunner({
    store,
    dataDir: join(dir, 'state'),
    workDir: dir,
    log: silentLogger,
    limits: { ...actionLimitsFrom(config), environments },
    environments,
    models: options.models,
  });
  return {
    dir,
    store,
    run: async (action) => {
      const jobId = newJobId();
      await store.jobs.create({ id: jobId, kind: action.action, args: action.args, requestedBy: alice, conversation: terminal, text: 'typed' });
      const context: JobContext = {
        attempt: 1,
        willRetryOnFailure: false,
        workerId: 'w-test',
        children: NO_CHILDREN,
        signal: new AbortController().signal,
        reportProgress: async () => {},
      };
      return runner({ jobId, action, requestedBy: alice, conversation: terminal }, context);
    },
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
