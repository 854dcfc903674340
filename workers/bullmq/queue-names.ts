import { JOB_ACTIONS, type JobActionName } from '../../core/index.js';

/** One named BullMQ queue per job kind, so each kind can get its own workers and limits. */
export const QUEUE_KINDS: readonly JobActionName[] = JOB_ACTIONS;

/** Pub/sub channel on which the bot tells workers to stop a running job. */
export const cancelChannel = (prefix: string): string => `${prefix}:opsbot:cancel`;
