import { z } from 'zod';
import { JOB_ACTIONS, jobIdSchema, type JobAction } from '../actions/action.schema.js';
import type { ConversationRef, Identity } from '../identity.js';
import { childJobId, childJobIdSchema, childKeySchema, type ChildJobSpec } from './job-children.js';

/** What travels on the queue: everything a worker needs, so it never has to ask the bot. */
export interface QueuedJob {
  jobId: string;
  action: JobAction;
  requestedBy: Identity;
  conversation: ConversationRef;
  /**
   * Set on a child job (see job-children.ts): its parent, and which part of the
   * parent's work it is. `action` is the parent's, so arguments are checked alike.
   */
  child?: ChildJobSpec & { parentId: string };
}

const platform = z.enum(['local', 'slack', 'teams']);

/**
 * Workers validate payloads at the edge: the queue is outside input. Arguments are
 * checked again by each handler's action schema, a child's data by its child handler.
 */
export const queuedJobSchema = z.object({
  jobId: z.union([jobIdSchema, childJobIdSchema]),
  action: z.object({ action: z.enum(JOB_ACTIONS), args: z.record(z.string(), z.unknown()) }),
  requestedBy: z.object({ platform, workspace: z.string(), userId: z.string(), displayName: z.string() }),
  conversation: z.object({ platform, workspace: z.string(), channelId: z.string(), threadId: z.string().optional() }),
  child: z.object({ parentId: jobIdSchema, key: childKeySchema, data: z.record(z.string(), z.unknown()) }).optional(),
});

/** The child job a parent queues for one of its specs. */
export function childQueuedJob(parent: QueuedJob, spec: ChildJobSpec): QueuedJob {
  const { requestedBy, conversation, action } = parent;
  return { jobId: childJobId(parent.jobId, spec.key), action, requestedBy, conversation, child: { parentId: parent.jobId, ...spec } };
}
