import type { ActionOf, BlueGreenDeployer, JobActionName, JobContext, JobResult, Logger, OpsbotConfig, QueuedJob, StateStore } from '../../core/index.js';

export interface HandlerDeps {
  store: StateStore;
  /** Where model artifacts are written. */
  dataDir: string;
  /** Relative dataset paths are resolved from here (the directory opsbot was started in). */
  workDir: string;
  log: Logger;
  /** Configured environment names in promotion order (dev → staging → prod); absent means the default config's. */
  environments?: readonly string[];
  /** Per-model settings from the config: a model named here with a `trainer` is trained by that program. */
  models?: OpsbotConfig['models'];
  /**
   * What model files are kept after each new version and by `prune` without --keep.
   * @defaultValue the default config's (10 versions per model, orphaned files after 60 minutes)
   */
  retention?: OpsbotConfig['retention'];
  /**
   * The entry module of the training process (training, ONNX export, quantisation).
   * @defaultValue workers/training/worker/training-process.ts
   */
  trainingProcessEntry?: URL;
  /** Deploy, rollback and scale act through it; absent on a worker that serves no models. */
  deployer?: BlueGreenDeployer;
}

/** A job handler gets its action already validated, typed for its kind. */
export type JobHandler<K extends JobActionName> = (
  action: ActionOf<K>,
  job: QueuedJob,
  context: JobContext,
  deps: HandlerDeps,
) => Promise<JobResult>;

/** Runs one child job of a `K` job (a tune job's trial); its result's `output` goes to the parent. */
export type ChildJobHandler<K extends JobActionName> = (
  action: ActionOf<K>,
  job: QueuedJob & { child: NonNullable<QueuedJob['child']> },
  context: JobContext,
  deps: HandlerDeps,
) => Promise<JobResult>;
