import type { JobProgress, JobResult } from '../store/job-store.port.js';
import type { JobChildren } from './job-children.js';
import type { JobPlacement } from './job-placement.js';
import type { QueuedJob } from './queued-job.js';
import type { QueueCounts, WorkerCapacity } from './queue-counts.js';
import type { WorkerStatus } from './worker-status.js';

/** Queue events the bot relays to the conversation; details are read from the state store. */
export type JobEvent =
  | { type: 'active'; jobId: string }
  | { type: 'progress'; jobId: string; progress: JobProgress }
  | { type: 'completed'; jobId: string }
  /** Emitted once a job has failed for good (retries exhausted or a permanent failure). */
  | { type: 'failed'; jobId: string };

export type JobEventListener = (event: JobEvent) => void;

export interface JobContext {
  /** 1 for the first attempt; counts attempts a killed worker never finished. */
  attempt: number;
  /** Whether a failure of this attempt will be retried. */
  willRetryOnFailure: boolean;
  workerId: string;
  /** Aborted when someone cancels the job, or with a JobLockLostError as its reason when the queue lock is lost. */
  signal: AbortSignal;
  /**
   * Whether this attempt still holds the job's queue lock: asked right before results
   * are committed. Absent where no other worker can take the job (in-process).
   */
  ownsJob?(): Promise<boolean>;
  reportProgress(progress: JobProgress): Promise<void>;
  /**
   * GPU indexes reserved for this job alone, for its CUDA_VISIBLE_DEVICES; empty or
   * absent for CPU jobs. Freed when the processor returns or throws.
   */
  gpus?: readonly number[];
  /** The job's children and its way to park until they finish (see job-children.ts). */
  children: JobChildren;
  /** For a child job: how many of its parent's children have finished so far, over all steps (for the parent's progress bar). */
  finishedSiblings?(): Promise<number>;
}

export type JobProcessor = (job: QueuedJob, context: JobContext) => Promise<JobResult>;

/** `removed`: it had not started; `signalled`: its worker was told to stop; `unknown`: the queue no longer holds it. */
export type CancelOutcome = 'removed' | 'signalled' | 'unknown';

/** The producer side: the bot enqueues, cancels and listens. */
export interface JobQueue {
  enqueue(job: QueuedJob): Promise<void>;
  /**
   * Removes a job that has not started, or signals a running one to stop. A parent
   * parked for its children is `signalled` too: its children stop, then its next step
   * runs with its signal aborted, so it can clean up what its children left.
   */
  cancel(jobId: string): Promise<CancelOutcome>;
  onEvent(listener: JobEventListener): () => void;
  /** Where an unfinished job is (queue position, or worker and GPUs); undefined once finished or unknown. */
  describe?(jobId: string): Promise<JobPlacement | undefined>;
  /** The live workers, their GPUs and running jobs. */
  workers?(): Promise<WorkerStatus[]>;
  /** Jobs per queue and state, for metrics; absent where the driver cannot say. */
  counts?(): Promise<QueueCounts[]>;
  close(): Promise<void>;
}

/** The consumer side: runs the processor on jobs until closed. */
export interface JobWorker {
  readonly id: string;
  /** Its job slots and GPUs, free and used, for metrics. */
  capacity?(): WorkerCapacity;
  close(): Promise<void>;
}
