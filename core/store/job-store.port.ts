import type { JobActionName } from '../actions/action.schema.js';
import type { ConversationRef, Identity } from '../identity.js';

export type JobStatus = 'queued' | 'active' | 'completed' | 'failed' | 'cancelled';
export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export interface JobProgress {
  /** 0..100 */
  percent: number;
  message: string;
  metrics?: Record<string, number>;
}

/** One point of a training curve: epoch plus metrics such as loss, accuracy, val_loss, val_accuracy. */
export type CurvePoint = { epoch: number } & Record<string, number>;

export interface JobResult {
  /** One line for the channel. */
  summary: string;
  details?: Record<string, string | number>;
  /** Shown under the details, e.g. an evaluation's per-class precision, recall, F1 and support. */
  table?: { columns: string[]; rows: string[][] };
  /** Per-epoch metrics of a training job, for its curve. */
  history?: CurvePoint[];
  /** A confusion matrix of an evaluation: labels, and counts[actual][predicted]. */
  confusion?: { labels: string[]; counts: number[][] };
  /** Follow-up commands offered as buttons under the result, e.g. `evaluate sentiment v3`. */
  nextSteps?: Array<{ label: string; command: string }>;
  /** What a child job hands its parent (a trial's scores); JSON, validated by the parent. */
  output?: Record<string, unknown>;
}

export interface JobRecord {
  id: string;
  kind: JobActionName;
  args: Record<string, unknown>;
  status: JobStatus;
  requestedBy: Identity;
  conversation: ConversationRef;
  text: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Attempts started so far, including ones a killed worker never finished. */
  attempts: number;
  workerId?: string;
  progress?: JobProgress;
  result?: JobResult;
  error?: string;
  /** Adapter-specific reference of the message that shows this job's progress. */
  replyRef?: string;
}

export type NewJob = Pick<JobRecord, 'id' | 'kind' | 'args' | 'requestedBy' | 'conversation' | 'text'>;

export type JobOutcome =
  | { status: 'completed'; result: JobResult }
  | { status: 'failed'; error: string }
  | { status: 'cancelled'; error: string };

export interface JobFilter {
  status?: readonly JobStatus[];
  limit?: number;
}

export interface JobStore {
  create(job: NewJob): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | undefined>;
  /** Newest first. */
  list(filter?: JobFilter): Promise<JobRecord[]>;
  markActive(id: string, attempt: number, workerId: string): Promise<void>;
  recordProgress(id: string, progress: JobProgress): Promise<void>;
  /** Moves a job to a terminal state once; returns false when it already was terminal. */
  finish(id: string, outcome: JobOutcome): Promise<boolean>;
  setReplyRef(id: string, replyRef: string): Promise<void>;
}
