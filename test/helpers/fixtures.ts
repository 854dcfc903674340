import type { ConversationRef, Identity, JobAction, QueuedJob } from '../../core/index.js';
import { newJobId } from '../../core/index.js';

export const alice: Identity = { platform: 'local', workspace: '', userId: 'alice', displayName: 'alice' };
export const terminal: ConversationRef = { platform: 'local', workspace: '', channelId: 'terminal' };

export function queuedJob(action: JobAction = { action: 'scale', args: { model: 'sentiment', env: 'staging', replicas: 2 } }): QueuedJob {
  return { jobId: newJobId(), action, requestedBy: alice, conversation: terminal };
}
