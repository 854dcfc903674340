/**
 * @jest-environment ./test/helpers/onnx-environment.ts
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadAllYaml, loadYaml } from '@kubernetes/client-node';
import { kubernetesTargetSchema } from '../../../core/config/kubernetes-target.schema.js';
import { loadConfig } from '../../../core/config/load-config.js';
import type { RolloutProgress, ServingSlot } from '../../../core/deployments/deploy-target.port.js';
import { RolloutFailedError } from '../../../core/deployments/rollout-failed.error.js';
import type { KubernetesTargetConfig } from '../../../core/index.js';
import { artifactDownloadHandler } from '../../../deploy-targets/kubernetes/artifact-route.js';
import { KubernetesDeployTarget } from '../../../deploy-targets/kubernetes/kubernetes-deploy-target.js';
import { runFetchArtifact } from '../../../deploy-targets/kubernetes/fetch-artifact-cli.js';
import { runManifestsCli } from '../../../deploy-targets/kubernetes/manifests-cli.js';
import { deployTargetContract } from '../../helpers/deploy-target-contract.js';
import { FakeKubernetesApi, type RecordedRequest } from '../../helpers/fake-kubernetes-api.js';
import { runCli } from '../../helpers/run-cli.js';
import { trainServableModel, type ServableModel } from '../../helpers/servable-model.js';

/**
 * The Kubernetes deploy target through the real @kubernetes/client-node against a fake API server that runs
 * each pod template's model server for real (test/helpers/fake-kubernetes-api.ts). One model is trained for the
 * file; each group deploys to its own environment (namespace).
 */

const IMAGE = 'ghcr.io/example/opsbot:1.4.2';
const TOKEN = 'artifact-token-0123456789abcdef0123456789abcdef';
let trained: ServableModel | undefined;
let brokenVersion = 0;
let fake: FakeKubernetesApi;

/** Trains once (v1 FP32, v2 INT8) and registers v3, a copy of v1 whose model.onnx is garbage. */
async function servable(): Promise<ServableModel> {
  if (trained) return trained;
  trained = await trainServableModel();
  const { fp32, dataDir, harness } = trained;
  const brokenPath = join(dirname(fp32.artifactPath), '..', 'j-broken', 'model.json');
  cpSync(join(dataDir, dirname(fp32.artifactPath)), join(dataDir, dirname(brokenPath)), { recursive: true });
  writeFileSync(join(dataDir, dirname(brokenPath), 'model.onnx'), 'not an onnx file');
  const { version: _v, createdAt: _c, ...entry } = fp32;
  brokenVersion = (await harness.store.registry.registerVersion({ ...entry, jobId: 'j-broken', artifactPath: brokenPath })).version;
  return trained;
}

async function fakeApi(): Promise<FakeKubernetesApi> {
  if (fake) return fake;
  const model = await servable();
  fake = await FakeKubernetesApi.start({
    namespaces: ['opsbot-staging', 'opsbot-contract', 'opsbot-http'],
    claims: { 'opsbot-models': model.dataDir },
    secrets: { 'opsbot-http/opsbot-artifacts': { token: TOKEN } },
    progressDeadlineMs: 1000,
  });
  return fake;
}

afterAll(async () => {
  await fake?.close();
  await trained?.harness.close();
}, 30_000);

function targetConfig(extra: Record<string, unknown> = {}): KubernetesTargetConfig {
  return kubernetesTargetSchema.parse({ image: IMAGE, models: { sentiment: { gpus: 1 } }, ...extra });
}

function kubernetesTarget(api: FakeKubernetesApi, model: ServableModel, config = targetConfig()): KubernetesDeployTarget {
  return new KubernetesDeployTarget({ kubeConfig: api.kubeConfig(), config, registry: model.harness.store.registry, pollIntervalMs: 25, rolloutTimeoutMs: 30_000 });
}

const bodyOf = (request: RecordedRequest | undefined) => request?.body as Record<string, any>;
const summary = (requests: RecordedRequest[]) => requests.map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`);

deployTargetContract('kubernetes (client-node against a fake API server)', async () => {
  const model = await servable();
  const api = await fakeApi();
  let current = kubernetesTarget(api, model);
  return {
    target: current,
    slot: { model: 'sentiment', env: 'contract' },
    v1: model.fp32.version,
    v2: model.int8.version,
    broken: brokenVersion,
    labels: ['negative', 'positive'],
    texts: model.texts,
    restart: async () => {
      await current.close();
      current = kubernetesTarget(api, model);
      return current;
    },
    close: () => current.close(),
  };
});

describe('kubernetes deploy target: the objects, the switch, scaling, failures', () => {
  let model: ServableModel;
  let api: FakeKubernetesApi;
  let target: KubernetesDeployTarget;
  const slot: ServingSlot = { model: 'sentiment', env: 'staging' };
  const ns = 'opsbot-staging';
  const apps = `/apis/apps/v1/namespaces/${ns}`;
  const core = `/api/v1/namespaces/${ns}`;
  const hpas = `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`;
  let mark = 0;
  const since = () => api.requests.slice(mark);
  const writesSince = () => since().filter((r) => r.method !== 'GET' && !r.path.includes('/proxy/'));

  beforeAll(async () => {
    model = await servable();
    api = await fakeApi();
    target = kubernetesTarget(api, model);
  }, 60_000);

  it('rollOut creates the colour\'s Deployment, HPA and preview Service exactly, and waits until every pod is ready', async () => {
    mark = api.requests.length;
    const progress: RolloutProgress[] = [];
    const rolled = await target.rollOut({ ...slot, colour: 'blue', version: model.fp32.version, scaling: { min: 2, max: 5 }, jobId: 'j-k8s1' }, (p) => progress.push(p));
    expect(rolled).toEqual({ colour: 'blue', version: model.fp32.version, desiredReplicas: 2, readyReplicas: 2, autoscaling: { min: 2, max: 5 } });
    expect(progress.at(-1)).toEqual({ ready: 2, desired: 2, message: '2 of 2 ready' });
    expect(progress.length).toBeGreaterThanOrEqual(1);

    // GET then POST for each missing object; JSON bodies; nothing else written (no live Service before a promotion).
    expect(summary(writesSince())).toEqual([`POST ${apps}/deployments 201`, `POST ${hpas} 201`, `POST ${core}/services 201`]);
    for (const write of writesSince()) expect(write.contentType).toBe('application/json');

    const deployment = bodyOf(writesSince()[0]);
    const labels = {
      'app.kubernetes.io/name': 'sentiment',
      'app.kubernetes.io/component': 'model-server',
      'app.kubernetes.io/managed-by': 'opsbot',
      'opsbot.dev/model': 'sentiment',
      'opsbot.dev/env': 'staging',
      'opsbot.dev/colour': 'blue',
      'opsbot.dev/version': String(model.fp32.version),
    };
    expect(deployment.metadata).toEqual({ name: 'sentiment-blue', namespace: ns, labels, annotations: { 'opsbot.dev/job-id': 'j-k8s1' } });
    expect(deployment.spec.selector).toEqual({ matchLabels: { 'opsbot.dev/model': 'sentiment', 'opsbot.dev/colour': 'blue' } });
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.progressDeadlineSeconds).toBe(600);
    expect(deployment.spec.template.metadata.labels).toEqual(labels);
    const pod = deployment.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers).toHaveLength(1);
    const container = pod.containers[0];
    expect(container.image).toBe(IMAGE);
    expect(container.command).toEqual(['opsbot']);
    expect(container.args).toEqual(['serve-model', '--model', 'sentiment', '--version', String(model.fp32.version), '--model-dir', '/models', '--port', '8080', '--host', '0.0.0.0']);
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(container.readinessProbe).toEqual({ httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1 });
    expect(container.livenessProbe).toMatchObject({ httpGet: { path: '/v2/health/live', port: 'http' }, timeoutSeconds: 5 });
    expect(container.livenessProbe.periodSeconds * container.livenessProbe.failureThreshold).toBeGreaterThanOrEqual(60);
    expect(container.startupProbe).toMatchObject({ httpGet: { path: '/v2/health/live', port: 'http' } });
    expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).toBeGreaterThanOrEqual(300);
    expect(container.resources).toEqual({ requests: { cpu: '2', memory: '8Gi' }, limits: { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' } });
    expect(container.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    // The claim read-only, at the version's own directory (its registry entry's), where --model-dir points.
    expect(container.volumeMounts).toEqual([
      { name: 'model', mountPath: '/models', subPath: dirname(model.fp32.artifactPath), readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ]);
    expect(pod.volumes).toEqual([
      { name: 'model', persistentVolumeClaim: { claimName: 'opsbot-models', readOnly: true } },
      { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
    ]);

    expect(bodyOf(writesSince()[1])).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'sentiment-blue', namespace: ns, labels: { ...labels, 'opsbot.dev/version': undefined } },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'sentiment-blue' },
        minReplicas: 2,
        maxReplicas: 5,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    });
    const preview = bodyOf(writesSince()[2]);
    expect(preview.metadata.name).toBe('sentiment-preview');
    expect(preview.spec).toEqual({ type: 'ClusterIP', selector: { 'opsbot.dev/model': 'sentiment', 'opsbot.dev/colour': 'blue' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] });
    expect((await target.status(slot)).live).toBeUndefined();
  });

  it('predicts through the API server\'s service proxy with the kubeconfig\'s token, on the preview Service while idle', async () => {
    mark = api.requests.length;
    const answers = await target.predict(slot, 'blue', model.texts);
    expect(answers).toHaveLength(model.texts.length);
    for (const answer of answers) expect(['negative', 'positive']).toContain(answer.label);
    const proxied = since().filter((r) => r.path.includes('/proxy/'));
    expect(proxied).toEqual([{ method: 'POST', path: `${core}/services/sentiment-preview:http/proxy/v1/models/sentiment:predict`, contentType: 'application/json', body: { instances: model.texts }, status: 200 }]);
  });

  it('switchLive creates the live Service, then promotion and rollback patch only the Services\' selectors', async () => {
    await target.switchLive(slot, 'blue');
    await target.rollOut({ ...slot, colour: 'green', version: model.int8.version, scaling: { min: 2, max: 5 } }, () => {});
    const blueBefore = api.get('Deployment', ns, 'sentiment-blue');

    mark = api.requests.length;
    await target.switchLive(slot, 'green');
    const selector = (colour: string) => ({ spec: { selector: { 'opsbot.dev/model': 'sentiment', 'opsbot.dev/colour': colour } } });
    expect(writesSince().map((r) => ({ method: r.method, path: r.path, contentType: r.contentType, body: r.body }))).toEqual([
      { method: 'PATCH', path: `${core}/services/sentiment`, contentType: 'application/merge-patch+json', body: selector('green') },
      { method: 'PATCH', path: `${core}/services/sentiment-preview`, contentType: 'application/merge-patch+json', body: selector('blue') },
    ]);
    expect((await target.status(slot)).live).toBe('green');
    // Deployments are untouched by a switch: blue stays warm for an instant rollback.
    expect(api.get('Deployment', ns, 'sentiment-blue')?.metadata.resourceVersion).toBe(blueBefore?.metadata.resourceVersion);
    mark = api.requests.length;
    await target.predict(slot, 'green', model.texts.slice(0, 1));
    expect(since().find((r) => r.path.includes('/proxy/'))?.path).toContain('/services/sentiment:http/proxy/');

    mark = api.requests.length;
    await target.switchLive(slot, 'blue');
    expect(writesSince().map((r) => [r.path, r.body])).toEqual([
      [`${core}/services/sentiment`, selector('blue')],
      [`${core}/services/sentiment-preview`, selector('green')],
    ]);
    const status = await target.status(slot);
    expect(status).toMatchObject({ live: 'blue', endpoint: `http://sentiment.${ns}.svc.cluster.local`, previewEndpoint: `http://sentiment-preview.${ns}.svc.cluster.local` });
    expect(api.get('Service', ns, 'sentiment')?.spec?.selector).toEqual({ 'opsbot.dev/model': 'sentiment', 'opsbot.dev/colour': 'blue' });
    await target.switchLive(slot, 'green');
  });

  it('scale patches the HPA for a range, and for fixed replicas deletes the HPA and patches the scale subresource', async () => {
    mark = api.requests.length;
    await target.scale(slot, 'green', { min: 3, max: 8 });
    expect(summary(writesSince())).toEqual([`PATCH ${hpas}/sentiment-green 200`, `PATCH ${apps}/deployments/sentiment-green/scale 200`]);
    expect(writesSince()[0]).toMatchObject({ contentType: 'application/merge-patch+json', body: { spec: { minReplicas: 3, maxReplicas: 8 } } });
    expect(bodyOf(writesSince()[0]).metadata.resourceVersion).toEqual(expect.any(String));
    expect(writesSince()[1]).toMatchObject({ contentType: 'application/merge-patch+json', body: { spec: { replicas: 3 } } });
    expect((await target.status(slot)).colours.green).toMatchObject({ desiredReplicas: 3, autoscaling: { min: 3, max: 8 } });

    mark = api.requests.length;
    await target.scale(slot, 'green', { replicas: 4 });
    expect(summary(writesSince())).toEqual([`DELETE ${hpas}/sentiment-green 200`, `PATCH ${apps}/deployments/sentiment-green/scale 200`]);
    expect(writesSince()[1]?.body).toEqual({ spec: { replicas: 4 } });
    expect(api.get('HorizontalPodAutoscaler', ns, 'sentiment-green')).toBeUndefined();
    const status = await target.status(slot);
    expect(status.colours.green).toEqual({ colour: 'green', version: model.int8.version, desiredReplicas: 4, readyReplicas: expect.any(Number) });
  });

  it('retire deletes the colour\'s HPA before scaling it to 0, so nothing scales it back up', async () => {
    mark = api.requests.length;
    await target.retire(slot, 'blue');
    expect(summary(writesSince())).toEqual([`DELETE ${hpas}/sentiment-blue 200`, `PATCH ${apps}/deployments/sentiment-blue/scale 200`]);
    expect(writesSince()[1]?.body).toEqual({ spec: { replicas: 0 } });
    expect((api.get('Deployment', ns, 'sentiment-blue')?.spec as { replicas: number }).replicas).toBe(0);
    expect((await target.status(slot)).colours.blue).toEqual({ colour: 'blue', desiredReplicas: 0, readyReplicas: 0 });
  });

  it('a rollout whose pods never become ready ends in RolloutFailedError (ProgressDeadlineExceeded) with the live Service untouched', async () => {
    api.neverBecomeReady((d) => d.metadata.namespace === ns && d.metadata.name === 'sentiment-blue' && d.metadata.labels?.['opsbot.dev/version'] === String(model.int8.version));
    const liveBefore = api.get('Service', ns, 'sentiment');
    mark = api.requests.length;
    const failure = await target.rollOut({ ...slot, colour: 'blue', version: model.int8.version, scaling: { replicas: 1 } }, () => {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RolloutFailedError);
    expect((failure as RolloutFailedError).userMessage).toMatch(
      new RegExp(`^sentiment-blue in namespace ${ns} \\(v${model.int8.version}\\) never became ready: ProgressDeadlineExceeded \\(ReplicaSet "sentiment-blue-\\w+" has timed out progressing\\.\\)\\. What serves is untouched$`),
    );
    expect(writesSince().filter((r) => r.path.startsWith(`${core}/services/sentiment`) && !r.path.includes('preview'))).toEqual([]);
    expect(api.get('Service', ns, 'sentiment')).toEqual(liveBefore);
    expect((await target.status(slot)).live).toBe('green');
    expect(await target.predict(slot, 'green', model.texts.slice(0, 2))).toHaveLength(2);
  });

  it('a crash-looping version fails fast, naming the pod and its CrashLoopBackOff', async () => {
    const failure = await target.rollOut({ ...slot, colour: 'blue', version: brokenVersion, scaling: { replicas: 1 } }, () => {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RolloutFailedError);
    expect((failure as RolloutFailedError).userMessage).toMatch(new RegExp(`^sentiment-blue in namespace ${ns} \\(v${brokenVersion}\\) (cannot|never) become ready: .*pod sentiment-blue-\\w+-0: container model-server is CrashLoopBackOff`));
  });

  it('a write conflict (someone else changed the Deployment after opsbot read it) is read again and retried', async () => {
    const path = `${apps}/deployments/sentiment-green`;
    api.concurrentWriteBeforeNext('PATCH', path);
    mark = api.requests.length;
    await target.rollOut({ ...slot, colour: 'green', version: model.fp32.version, scaling: { replicas: 1 } }, () => {});
    const onDeployment = since().filter((r) => r.path === path);
    expect(onDeployment.map((r) => `${r.method} ${r.status}`).slice(0, 4)).toEqual(['GET 200', 'PATCH 409', 'GET 200', 'PATCH 200']);
    const [first, second] = onDeployment.filter((r) => r.method === 'PATCH');
    expect(bodyOf(first).metadata.resourceVersion).not.toBe(bodyOf(second).metadata.resourceVersion);
    expect(second?.contentType).toBe('application/merge-patch+json');
    // Someone else's annotation survives opsbot's patch; the version moved on in place (same Deployment, same selector).
    const stored = api.get('Deployment', ns, 'sentiment-green');
    expect(stored?.metadata.annotations).toMatchObject({ 'example.com/touched-by': 'someone-else' });
    expect(stored?.metadata.labels?.['opsbot.dev/version']).toBe(String(model.fp32.version));
    expect((await target.status(slot)).colours.green).toMatchObject({ version: model.fp32.version, desiredReplicas: 1, readyReplicas: 1 });
  });

  it('opsbot manifests prints exactly what was applied (the same objects, parsed from its YAML)', async () => {
    // What green serves live now: v1 at 1 replica, applied above; the Services as they stand.
    const dir = mkdtempSync(join(tmpdir(), 'opsbot-manifests-'));
    writeFileSync(join(dir, 'opsbot.config.json'), JSON.stringify({ dataDir: model.dataDir, deploy: { kubernetes: { image: IMAGE, models: { sentiment: { gpus: 1 } } } } }));
    const { config } = loadConfig({ OPSBOT_CONFIG: join(dir, 'opsbot.config.json') }, dir);
    let yaml = '';
    const out = { write: (chunk: string) => ((yaml += chunk), true) } as unknown as NodeJS.WritableStream;
    await runManifestsCli(config, { model: 'sentiment', env: 'staging', version: String(model.fp32.version), colour: 'green' }, out);
    const printed = loadAllYaml(yaml);
    expect(printed.map((o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`)).toEqual(['Deployment/sentiment-green', 'Service/sentiment', 'Service/sentiment-preview']);

    // The Deployment exactly as last sent (the conflict test's patch of the full object), parsed the same way.
    const lastDeploymentWrite = api.requests.filter((r) => r.path === `${apps}/deployments/sentiment-green` && r.method === 'PATCH' && r.status === 200).at(-1);
    const { resourceVersion: _rv, ...sentMetadata } = bodyOf(lastDeploymentWrite).metadata;
    expect(printed[0]).toEqual(loadYaml(JSON.stringify({ ...bodyOf(lastDeploymentWrite), metadata: sentMetadata })));
    // The Services as the cluster holds them, less what the server adds.
    for (const [index, name] of [[1, 'sentiment'], [2, 'sentiment-preview']] as const) {
      const stored = api.get('Service', ns, name);
      const { clusterIP: _ip, sessionAffinity: _sa, ...spec } = stored?.spec as Record<string, unknown>;
      expect(printed[index]).toEqual(loadYaml(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels: stored?.metadata.labels }, spec })));
    }

    // The real command prints the same YAML, and nothing else on stdout; a bad flag is refused saying why.
    const cli = await runCli(['manifests', 'sentiment', 'staging', '--version', String(model.fp32.version), '--colour', 'green'], { cwd: dir, env: { OPSBOT_CONFIG: join(dir, 'opsbot.config.json') } });
    expect({ code: cli.code, stderr: cli.stderr }).toEqual({ code: 0, stderr: '' });
    expect(cli.stdout).toBe(yaml);
    const refused = await runCli(['manifests', 'sentiment', 'staging', '--colour', 'purple'], { cwd: dir, env: { OPSBOT_CONFIG: join(dir, 'opsbot.config.json') } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--colour is blue or green');
  }, 120_000);
});

describe('kubernetes deploy target: artifacts over HTTP (init container and opsbot\'s route)', () => {
  let model: ServableModel;
  let route: Server;
  let base: string;

  beforeAll(async () => {
    model = await servable();
    const handler = artifactDownloadHandler({ dataDir: model.dataDir, registry: model.harness.store.registry, token: TOKEN });
    route = createServer((request, response) => void handler(request, response));
    await new Promise<void>((resolve) => route.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(route.address() as AddressInfo).port}/artifacts`;
  }, 60_000);
  afterAll(async () => new Promise((resolve) => route?.close(resolve)));

  const get = (path: string, token?: string) => fetch(`${base}${path}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  it('refuses a missing or wrong token with 401, before looking at the path', async () => {
    expect((await get(`/sentiment/${model.fp32.version}`)).status).toBe(401);
    expect((await get(`/sentiment/${model.fp32.version}`, 'wrong')).status).toBe(401);
    expect((await get(`/sentiment/${model.fp32.version}`, `${TOKEN}x`)).status).toBe(401);
    const refused = await get('/..%2F..%2Fetc/1', 'nope');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="opsbot-artifacts"');
  });

  it('refuses paths that are not a model name and version number (400), and unknown versions or files (404)', async () => {
    for (const path of ['/..%2F..%2Fetc/1', '/sentiment/..', '/sentiment/abc', '/Sentiment/1', '/sentiment/0', '/sentiment/1/..%2Fopsbot.db', '/sentiment/1/.hidden', '/sentiment']) {
      expect([path, (await get(path, TOKEN)).status]).toEqual([path, 400]);
    }
    expect((await get('/sentiment/999', TOKEN)).status).toBe(404);
    expect((await get('/nosuchmodel/1', TOKEN)).status).toBe(404);
    expect((await get(`/sentiment/${model.fp32.version}/dataset.csv`, TOKEN)).status).toBe(404);
  });

  it('lists a version\'s files with sizes and SHA-256s and serves each', async () => {
    const index = (await (await get(`/sentiment/${model.fp32.version}`, TOKEN)).json()) as { files: Array<{ name: string; size: number }> };
    expect(index.files.map((f) => f.name).sort()).toEqual(['model.json', 'model.onnx', 'weights.bin']);
    const onnx = await get(`/sentiment/${model.fp32.version}/model.onnx`, TOKEN);
    expect(onnx.status).toBe(200);
    expect(Buffer.from(await onnx.arrayBuffer()).equals(readFileSync(join(model.dataDir, dirname(model.fp32.artifactPath), 'model.onnx')))).toBe(true);
  });

  it('fetch-artifact downloads and checks every file, and stops at once on a refused token', async () => {
    const to = mkdtempSync(join(tmpdir(), 'opsbot-fetched-'));
    const quiet = { write: () => true } as unknown as NodeJS.WritableStream;
    const url = `${base}/sentiment/${model.fp32.version}`;
    await expect(runFetchArtifact(['--url', url, '--to', to], { env: { OPSBOT_ARTIFACT_TOKEN: 'wrong' }, stdout: quiet, retryDelayMs: 1 })).rejects.toThrow(/refused the token \(HTTP 401\)/);
    await expect(runFetchArtifact(['--url', url, '--to', to], { env: {}, stdout: quiet })).rejects.toThrow(/OPSBOT_ARTIFACT_TOKEN is not set/);
    expect(await runFetchArtifact(['--url', url, '--to', to], { env: { OPSBOT_ARTIFACT_TOKEN: TOKEN }, stdout: quiet })).toBe(0);
    for (const name of ['model.json', 'weights.bin', 'model.onnx']) {
      expect(readFileSync(join(to, name)).equals(readFileSync(join(model.dataDir, dirname(model.fp32.artifactPath), name)))).toBe(true);
    }
  });

  it('a rollout in http mode runs the fetch-artifact init container with the Secret\'s token (not in the manifest) and serves', async () => {
    const api = await fakeApi();
    const config = targetConfig({ artifacts: { mode: 'http', url: base, tokenSecret: { name: 'opsbot-artifacts' } } });
    const target = kubernetesTarget(api, model, config);
    const slot = { model: 'sentiment', env: 'http' };
    const mark = api.requests.length;
    await target.rollOut({ ...slot, colour: 'blue', version: model.int8.version, scaling: { replicas: 1 } }, () => {});
    const sent = bodyOf(api.requests.slice(mark).find((r) => r.method === 'POST' && r.path.endsWith('/deployments')));
    const pod = sent.spec.template.spec;
    expect(pod.initContainers).toEqual([
      expect.objectContaining({
        name: 'fetch-artifact',
        image: IMAGE,
        command: ['opsbot'],
        args: ['fetch-artifact', '--url', `${base}/sentiment/${model.int8.version}`, '--to', '/models'],
        env: [{ name: 'OPSBOT_ARTIFACT_TOKEN', valueFrom: { secretKeyRef: { name: 'opsbot-artifacts', key: 'token' } } }],
        securityContext: expect.objectContaining({ readOnlyRootFilesystem: true, runAsNonRoot: true }),
      }),
    ]);
    expect(JSON.stringify(sent)).not.toContain(TOKEN);
    expect(pod.volumes[0]).toEqual({ name: 'model', emptyDir: {} });
    expect(pod.containers[0].volumeMounts[0]).toEqual({ name: 'model', mountPath: '/models', readOnly: true });
    await target.switchLive(slot, 'blue');
    expect(await target.predict(slot, 'blue', model.texts)).toHaveLength(model.texts.length);
  });
});
