import type { V1Deployment } from '@kubernetes/client-node';
import { deploymentPatch } from '../../../../deploy-targets/kubernetes/deployment-patch.js';
import { mergePatch } from '../../../helpers/fake-kubernetes-api.js';

const deployment = (pod: Record<string, unknown>, annotations?: Record<string, string>): V1Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'm-blue', namespace: 'ns', ...(annotations ? { annotations } : {}) },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'model-server' }], ...pod } } },
});

describe('deploymentPatch', () => {
  it('removes what the configuration no longer sets: an init container, a node selector key, the job annotation', () => {
    const current = deployment({ initContainers: [{ name: 'fetch-artifact' }], nodeSelector: { pool: 'gpu', zone: 'a' }, tolerations: [{ key: 'gpu' }] }, { 'opsbot.dev/job-id': 'j-1', 'kubectl.kubernetes.io/restartedAt': 'x' });
    const desired = deployment({ nodeSelector: { pool: 'cpu' } });
    const patched = mergePatch(current, deploymentPatch(current, desired)) as V1Deployment;
    expect(patched.spec?.template?.spec).toEqual({ containers: [{ name: 'model-server' }], nodeSelector: { pool: 'cpu' } });
    // Someone else's annotation stays; opsbot's goes.
    expect(patched.metadata?.annotations).toEqual({ 'kubectl.kubernetes.io/restartedAt': 'x' });
  });

  it('is the desired object itself when nothing was dropped', () => {
    const desired = deployment({ nodeSelector: { pool: 'gpu' } });
    expect(mergePatch(desired, deploymentPatch(desired, desired))).toEqual(desired);
  });
});
