import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { RolloutFailedError } from '../../../../core/deployments/rollout-failed.error.js';
import { podProblem, rolloutState, waitForRollout } from '../../../../deploy-targets/kubernetes/rollout-watch.js';

const deployment = (replicas: number, generation: number, status: V1Deployment['status']): V1Deployment => ({ metadata: { name: 'm-blue', generation }, spec: { replicas, selector: {}, template: {} }, status });

describe('rolloutState', () => {
  it('is not done until the controller saw the latest generation', () => {
    expect(rolloutState(deployment(2, 3, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 })).done).toBe(false);
  });

  it('waits for every wanted replica to run the new template, old pods to go, and all to be ready', () => {
    expect(rolloutState(deployment(2, 3, { observedGeneration: 3, replicas: 3, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2 })).progress).toEqual({ ready: 1, desired: 2, message: '1 of 2 pods run the new version, 1 ready' });
    expect(rolloutState(deployment(2, 3, { observedGeneration: 3, replicas: 3, updatedReplicas: 2, readyReplicas: 3, availableReplicas: 3 })).done).toBe(false);
    expect(rolloutState(deployment(2, 3, { observedGeneration: 3, replicas: 2, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1 })).done).toBe(false);
    expect(rolloutState(deployment(2, 3, { observedGeneration: 3, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 })).done).toBe(true);
  });

  it('reads absent counts as zero (the API leaves zeros out) and a Deployment scaled to 0 as done', () => {
    expect(rolloutState(deployment(1, 1, { observedGeneration: 1 })).progress).toMatchObject({ ready: 0, desired: 1 });
    expect(rolloutState(deployment(0, 2, { observedGeneration: 2 })).done).toBe(true);
  });

  it('reports ProgressDeadlineExceeded as a failure', () => {
    const stuck = deployment(1, 4, { observedGeneration: 4, replicas: 1, updatedReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "m-blue-abc" has timed out progressing.' }] });
    expect(rolloutState(stuck).failure).toBe('ProgressDeadlineExceeded (ReplicaSet "m-blue-abc" has timed out progressing.)');
  });
});

describe('podProblem', () => {
  const pod = (state: object, restartCount = 0): V1Pod => ({ metadata: { name: 'm-blue-x-0' }, status: { containerStatuses: [{ name: 'model-server', image: 'i', imageID: 'i', ready: false, restartCount, state, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }] } });

  it('tells an image pull back-off without giving up, and a crash loop once it restarted often', () => {
    expect(podProblem([pod({ waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } })])).toMatchObject({ hopeless: false, message: expect.stringContaining('ImagePullBackOff') });
    expect(podProblem([pod({ waiting: { reason: 'CrashLoopBackOff' } }, 1)])?.hopeless).toBe(false);
    expect(podProblem([pod({ waiting: { reason: 'CrashLoopBackOff' } }, 3)])).toEqual({ hopeless: true, message: 'pod m-blue-x-0: container model-server is CrashLoopBackOff (last exit code 1, Error)' });
    expect(podProblem([pod({ waiting: { reason: 'ContainerCreating' } })])).toBeUndefined();
  });
});

describe('waitForRollout', () => {
  it('rejects with RolloutFailedError when the signal is aborted', async () => {
    const controller = new AbortController();
    const waiting = waitForRollout({ label: 'm-blue (v2)', read: async () => deployment(1, 1, { observedGeneration: 1 }), onProgress: () => controller.abort(), signal: controller.signal, timeoutMs: 60_000, pollMs: 10_000 });
    await expect(waiting).rejects.toThrow(RolloutFailedError);
    await expect(waiting).rejects.toThrow('the rollout of m-blue (v2) was cancelled');
  });

  it('rejects after its timeout, saying how far it got', async () => {
    await expect(waitForRollout({ label: 'm-blue (v2)', read: async () => deployment(2, 1, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1 }), onProgress: () => {}, timeoutMs: 30, pollMs: 10 })).rejects.toThrow(
      /m-blue \(v2\) did not become ready within 0 s \(1 of 2 ready\)/,
    );
  });
});
