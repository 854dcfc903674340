import { z } from 'zod';
import { JOB_ACTIONS, jobIdSchema, type JobAction } from '../actions/action.schema.js';
import type { ConversationRef, Identity } from '../identity.js';

/** What travels on the queue: everything a worker needs, so it never has to ask the bot. */
export interface QueuedJob {
  jobId: string;
  action: JobAction;
  requestedBy: Identity;
  conversation: ConversationRef;
}

const platform = z.enum(['local', 'slack', 'teams']);

/**
 * Workers validate payloads at the edge: the queue is outside input. Arguments are
 * checked again by each handler's action schema.
 */
export const queuedJobSchema = z.object({
  jobId: jobIdSchema,
  action: z.object({ action: z.enum(JOB_ACTIONS), args: z.record(z.string(), z.unknown()) }),
  requestedBy: z.object({ platform, workspace: z.string(), userId: z.string(), displayName: z.string() }),
  conversation: z.object({ platform, workspace: z.string(), channelId: z.string(), threadId: z.string().optional() }),
});
