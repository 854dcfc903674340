import { z } from 'zod';
import { JOB_ID_PATTERN } from '../actions/action.schema.js';
import type { JobResult } from '../store/job-store.port.js';

/**
 * A part of a job's work queued as a job of its own, so idle workers share it: a
 * tune job's trials. `key` is unique within the parent (`trial-3`); `data` is
 * read by the parent kind's child handler.
 */
export interface ChildJobSpec {
  key: string;
  data: Record<string, unknown>;
}

/** How a child ended: the result it handed back, or why it failed for good (a cancel included). */
export type ChildOutcome = ChildJobSpec & ({ result: JobResult } | { error: string });

/**
 * A parent job's view of its children. A parent runs in steps: a step either
 * finishes the job or queues children and parks it with `waitFor`; once every child
 * has finished, the processor runs again — the next step of the same attempt — with
 * them in `finished`. A parked job holds no worker slot while its children run.
 */
export interface JobChildren {
  /** True from the second step on: the job was parked before, so it has already started. */
  readonly resumed: boolean;
  /** Every child of earlier steps that has finished, in no set order: match them by key. */
  readonly finished: readonly ChildOutcome[];
  /** Queues the children and parks the job until all have finished. Never returns: it throws JobParkedError. */
  waitFor(children: readonly ChildJobSpec[]): Promise<never>;
}

/** Control flow, not a failure: the step parked its job to wait for children. Drivers never retry or fail it. */
export class JobParkedError extends Error {
  constructor(children: number) {
    super(`waiting for ${children} child job${children === 1 ? '' : 's'}`);
    this.name = 'JobParkedError';
  }
}

/** The context of a job that cannot have children: a child itself, or a kind without a child queue. */
export const NO_CHILDREN: JobChildren = {
  resumed: false,
  finished: [],
  waitFor: () => Promise.reject(new Error('this job cannot queue child jobs')),
};

const CHILD_KEY = '[a-z0-9]+(?:-[a-z0-9]+)*';
export const childKeySchema = z.string().max(40).regex(new RegExp(`^${CHILD_KEY}$`), 'child keys are lowercase words joined by "-"');

/** A child's job id carries its parent's, so its events, cancels and progress find the parent without a look-up. */
export function childJobId(parentId: string, key: string): string {
  return `${parentId}-${key}`;
}

const CHILD_JOB_ID = new RegExp(`^(${JOB_ID_PATTERN.source.slice(1, -1)})-${CHILD_KEY}$`);

/** The parent of a child job id; undefined for a job that is no child. */
export function parentOfJobId(jobId: string): string | undefined {
  return CHILD_JOB_ID.exec(jobId)?.[1];
}

export const childJobIdSchema = z.string().max(60).regex(CHILD_JOB_ID, 'child job ids are <parent job id>-<key>');
