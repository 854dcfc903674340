import type { ConversationRef, Identity, JobAction, JobContext, QueuedJob } from '../../core/index.js';
import { NO_CHILDREN, newJobId } from '../../core/index.js';

export const alice: Identity = { platform: 'local', workspace: '', userId: 'alice', displayName: 'alice' };
export const terminal: ConversationRef = { platform: 'local', workspace: '', channelId: 'terminal' };

export function queuedJob(action: JobAction = { action: 'scale', args: { model: 'sentiment', env: 'staging', replicas: 2 } }): QueuedJob {
  return { jobId: newJobId(), action, requestedBy: alice, conversation: terminal };
}

/** A handler's job context for a first attempt that holds its job; tests override what they exercise. */
export function jobContext(overrides: Partial<JobContext> = {}): JobContext {
  return {
    attempt: 1,
    willRetryOnFailure: false,
    workerId: 'w',
    signal: new AbortController().signal,
    ownsJob: async () => true,
    reportProgress: async () => {},
    children: NO_CHILDREN,
    ...overrides,
  };
}
