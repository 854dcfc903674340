import { childJobId, childQueuedJob, parentOfJobId, queuedJobSchema } from '../../../core/index.js';
import { queuedJob } from '../../helpers/fixtures.js';

describe('child jobs on the queue', () => {
  const parent = queuedJob({ action: 'tune', args: { model: 'sentiment', trials: 4 } });

  it('names a child after its parent, so its events and cancels find the parent without a look-up', () => {
    const id = childJobId(parent.jobId, 'trial-3');
    expect(id).toBe(`${parent.jobId}-trial-3`);
    expect(parentOfJobId(id)).toBe(parent.jobId);
    expect(parentOfJobId(parent.jobId)).toBeUndefined();
    expect(parentOfJobId('j-abc123-')).toBeUndefined();
    expect(parentOfJobId('x-abc123-trial-1')).toBeUndefined();
  });

  it('carries the parent’s action, requester and conversation, and passes the payload check', () => {
    const child = childQueuedJob(parent, { key: 'trial-3', data: { trial: 3 } });
    expect(child).toEqual({
      ...parent,
      jobId: `${parent.jobId}-trial-3`,
      child: { parentId: parent.jobId, key: 'trial-3', data: { trial: 3 } },
    });
    expect(queuedJobSchema.safeParse(child).success).toBe(true);
  });

  it('rejects malformed child payloads at the worker’s edge', () => {
    const child = childQueuedJob(parent, { key: 'trial-3', data: {} });
    const bad = [
      { ...child, child: { ...child.child, key: 'Trial 3' } },
      { ...child, child: { ...child.child, parentId: 'not-a-job' } },
      { ...child, jobId: `${parent.jobId}-TRIAL` },
      { ...child, child: { ...child.child, data: 'x' } },
    ];
    for (const payload of bad) expect(queuedJobSchema.safeParse(payload).success).toBe(false);
  });
});
