import type { JobProgress, JobResult } from '../store/job-store.port.js';
import type { QueuedJob } from './queued-job.js';

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
  /** Aborted when someone cancels the job. */
  signal: AbortSignal;
  reportProgress(progress: JobProgress): Promise<void>;
}

export type JobProcessor = (job: QueuedJob, context: JobContext) => Promise<JobResult>;

/** `removed`: it had not started; `signalled`: its worker was told to stop; `unknown`: the queue no longer holds it. */
export type CancelOutcome = 'removed' | 'signalled' | 'unknown';

/** The producer side: the bot enqueues, cancels and listens. */
export interface JobQueue {
  enqueue(job: QueuedJob): Promise<void>;
  /** Removes a job that has not started, or signals a running one to stop. */
  cancel(jobId: string): Promise<CancelOutcome>;
  onEvent(listener: JobEventListener): () => void;
  close(): Promise<void>;
}

/** The consumer side: runs the processor on jobs until closed. */
export interface JobWorker {
  readonly id: string;
  close(): Promise<void>;
}
