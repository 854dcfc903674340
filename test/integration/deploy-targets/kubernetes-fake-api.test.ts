import { AppsV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { FakeKubernetesApi } from '../../helpers/fake-kubernetes-api.js';

/** The fake API server's own semantics, which the deploy target's tests rely on. */
describe('fake Kubernetes API server', () => {
  let api: FakeKubernetesApi;
  const path = '/apis/apps/v1/namespaces/ns/deployments';
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    // No `serve-model` in it: its pods crash, which these cases do not look at.
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', env: [{ name: 'A', value: '1' }] }] } } },
  };
  const send = (method: string, url: string, body?: unknown, contentType = 'application/json', token = api.token) =>
    fetch(`${api.url}${url}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': contentType }) }, body: body === undefined ? undefined : JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, any> }));

  beforeAll(async () => {
    api = await FakeKubernetesApi.start({ namespaces: ['ns'] });
    expect((await send('POST', path, deployment)).status).toBe(201);
  });
  afterAll(async () => api.close());

  it('answers errors with Status objects: NotFound, AlreadyExists, Unauthorized, a missing namespace', async () => {
    expect(await send('GET', `${path}/nope`)).toEqual({ status: 404, body: expect.objectContaining({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'deployments.apps "nope" not found' }) });
    expect((await send('POST', path, deployment)).body).toMatchObject({ kind: 'Status', reason: 'AlreadyExists', code: 409 });
    expect((await send('GET', `${path}/web`, undefined, undefined, 'wrong')).body).toMatchObject({ reason: 'Unauthorized', code: 401 });
    expect((await send('POST', '/apis/apps/v1/namespaces/other/deployments', deployment)).body).toMatchObject({ reason: 'NotFound', message: 'namespaces "other" not found' });
  });

  it('refuses content types client-node does not send for these calls with 415, and server-side apply', async () => {
    expect((await send('PATCH', `${path}/web`, { spec: { replicas: 2 } }, 'application/apply-patch+yaml')).body).toMatchObject({ reason: 'UnsupportedMediaType', code: 415 });
    expect((await send('POST', path, deployment, 'text/plain')).status).toBe(415);
  });

  it('merges strategic merge patches by key, applies json-patch, and bumps generation only on spec changes', async () => {
    const before = (await send('GET', `${path}/web`)).body;
    const strategic = await send('PATCH', `${path}/web`, { spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'B', value: '2' }] }] } } } }, PatchStrategy.StrategicMergePatch);
    expect(strategic.body.spec.template.spec.containers).toEqual([{ name: 'c', image: 'nginx', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }]);
    expect(strategic.body.metadata.generation).toBe(before.metadata.generation + 1);
    const json = await send('PATCH', `${path}/web`, [{ op: 'replace', path: '/spec/replicas', value: 3 }], PatchStrategy.JsonPatch);
    expect(json.body.spec.replicas).toBe(3);
    const labelled = await send('PATCH', `${path}/web`, { metadata: { labels: { app: 'web', team: 'ml' } } }, PatchStrategy.MergePatch);
    expect(labelled.body.metadata.generation).toBe(json.body.metadata.generation);
    expect(Number(labelled.body.metadata.resourceVersion)).toBeGreaterThan(Number(json.body.metadata.resourceVersion));
  });

  it('rejects a write with a stale resourceVersion (409 Conflict) and a changed selector (422 Invalid)', async () => {
    const current = (await send('GET', `${path}/web`)).body;
    await send('PATCH', `${path}/web`, { metadata: { annotations: { x: '1' } } }, PatchStrategy.MergePatch);
    expect((await send('PUT', `${path}/web`, current)).body).toMatchObject({ reason: 'Conflict', code: 409 });
    expect((await send('PATCH', `${path}/web`, { metadata: { resourceVersion: current.metadata.resourceVersion }, spec: { replicas: 1 } }, PatchStrategy.MergePatch)).status).toBe(409);
    const changed = await send('PATCH', `${path}/web`, { spec: { selector: { matchLabels: { app: 'web', v: '2' } }, template: { metadata: { labels: { app: 'web', v: '2' } } } } }, PatchStrategy.MergePatch);
    expect(changed.body).toMatchObject({ reason: 'Invalid', code: 422, message: expect.stringContaining('field is immutable') });
  });

  it('serves the scale subresource to client-node, and sees client-node\'s default json-patch content type', async () => {
    const apps = api.kubeConfig().makeApiClient(AppsV1Api);
    const scale = await apps.readNamespacedDeploymentScale({ namespace: 'ns', name: 'web' });
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 }, status: { selector: 'app=web' } });
    await apps.patchNamespacedDeploymentScale({ namespace: 'ns', name: 'web', body: { spec: { replicas: 4 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    expect((api.get('Deployment', 'ns', 'web')?.spec as { replicas: number }).replicas).toBe(4);
    // Without the header client-node says json-patch, and a merge-patch body is then refused.
    await expect(apps.patchNamespacedDeployment({ namespace: 'ns', name: 'web', body: { spec: { replicas: 2 } } })).rejects.toMatchObject({ code: 400 });
    expect(api.requests.at(-1)?.contentType).toBe('application/json-patch+json');
  });
});
