import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { ModelVersion } from '../../core/index.js';
import { runFetchArtifact } from '../../deploy-targets/kubernetes/fetch-artifact-cli.js';
import { ModelServer } from '../../model-server/model-server.js';
import { loadServedModel } from '../../model-server/served-model.js';

/**
 * A local HTTP server that speaks the Kubernetes API for what the Kubernetes deploy target uses, with the
 * semantics that matter to it — so the real @kubernetes/client-node talks to it as to a cluster:
 *
 * - real paths and verbs: apps/v1 deployments (and their /scale and /status subresources), v1 services,
 *   autoscaling/v2 horizontalpodautoscalers, v1 namespaces, v1 pods (list, synthesized from the Deployments);
 * - POST/PUT as application/json, PATCH as json-patch, merge-patch or strategic-merge-patch (415 otherwise);
 * - `Status` errors (NotFound, AlreadyExists, Conflict, Invalid, Unauthorized, UnsupportedMediaType);
 * - resourceVersion on every change, metadata.generation on spec changes, optimistic concurrency (a write
 *   carrying a stale resourceVersion is a 409), immutable Deployment selectors, a bearer token;
 * - a Deployment controller and kubelet in one: each pod template's model-server container is really run —
 *   its args (`serve-model --model M --version V --model-dir D`) are read, D is resolved through its volume
 *   mounts (a PersistentVolumeClaim maps to a host directory, an emptyDir to a temporary one filled by a
 *   `fetch-artifact` init container, run for real), and a real in-process ModelServer loads it. Ready once it
 *   warmed up; a load failure is a crash loop; either way ProgressDeadlineExceeded after `progressDeadlineMs`;
 * - an HPA controller that keeps a Deployment (above 0 replicas) inside its range;
 * - the service proxy, `/api/v1/namespaces/{ns}/services/{name}:{port}/proxy/...`, forwarding to the model
 *   server of the ready Deployment the Service selects (503 "no endpoints available" when none is ready).
 *
 * Every request is recorded (method, path, content type, body) for tests to assert what was sent.
 */
export interface FakeKubernetesApiOptions {
  /** The bearer token the kubeconfig presents. @defaultValue `fake-token` */
  token?: string;
  /** Namespaces that exist at start. */
  namespaces?: string[];
  /** PersistentVolumeClaim name → the host directory it holds. */
  claims?: Record<string, string>;
  /** `namespace/name` → the Secret's data (plain text), for secretKeyRef. */
  secrets?: Record<string, Record<string, string>>;
  /** How long pods take to turn ready once their server is up. @defaultValue 20 */
  readyDelayMs?: number;
  /** A Deployment's progressDeadlineSeconds, compressed to this. @defaultValue 1500 */
  progressDeadlineMs?: number;
  /** Time between restarts of a crash-looping container. @defaultValue 60 */
  crashRestartMs?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  contentType?: string;
  /** Parsed JSON, or the raw text when it is not JSON; undefined without a body. */
  body?: unknown;
  status: number;
}

type Json = Record<string, unknown>;
interface StoredObject extends Json {
  apiVersion: string;
  kind: string;
  metadata: Json & { name: string; namespace?: string; resourceVersion: string; uid: string; labels?: Record<string, string>; generation?: number };
  spec?: Json;
  status?: Json;
}

interface ResourceType {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Bumps metadata.generation on spec changes. */
  generation: boolean;
}

const RESOURCES: ResourceType[] = [
  { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true, generation: true },
  { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true, generation: false },
  { group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true, generation: true },
  { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false, generation: false },
  // Listed only, synthesized from the Deployments (the kubelet's view).
  { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true, generation: false },
];

const JSON_TYPE = 'application/json';
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Json,
  ) {
    super(message);
  }
}

const clone = <T>(value: T): T => structuredClone(value);
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const result: Json = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** The merge keys of the lists a strategic merge patch merges by element (the rest are replaced). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  imagePullSecrets: 'name',
  conditions: 'type',
};

/** Strategic merge patch, as far as these objects need: maps merge, null deletes, keyed lists merge by key. */
export function strategicMergePatch(target: unknown, patch: unknown, key?: string, parentKind?: string): unknown {
  if (Array.isArray(patch)) {
    const mergeKey = key === 'ports' ? (parentKind === 'Service' ? 'port' : 'containerPort') : key ? MERGE_KEYS[key] : undefined;
    if (!mergeKey || !Array.isArray(target)) return clone(patch);
    const result = clone(target) as Json[];
    for (const item of patch as Json[]) {
      const index = result.findIndex((existing) => existing[mergeKey] === item[mergeKey]);
      if (item.$patch === 'delete') {
        if (index >= 0) result.splice(index, 1);
      } else if (index >= 0) result[index] = strategicMergePatch(result[index], item, undefined, parentKind) as Json;
      else result.push(clone(item));
    }
    return result;
  }
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _ignored, ...rest } = patch;
    return clone(rest);
  }
  const result: Json = isObject(target) ? clone(target) : {};
  for (const [k, value] of Object.entries(patch)) {
    if (value === null) delete result[k];
    else result[k] = strategicMergePatch(result[k], value, k, parentKind);
  }
  return result;
}

/** RFC 6902 JSON patch (add, remove, replace, test). */
export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new ApiError(400, 'BadRequest', 'a json-patch body is an array of operations');
  let doc = clone(target) as unknown;
  for (const op of operations as Json[]) {
    const path = String(op.path ?? '');
    const parts = path.split('/').slice(1).map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
    if (parts.length === 0) {
      doc = clone(op.value);
      continue;
    }
    let parent = doc as Json | unknown[];
    for (const part of parts.slice(0, -1)) {
      const next = Array.isArray(parent) ? parent[Number(part)] : parent[part];
      if (typeof next !== 'object' || next === null) throw new ApiError(422, 'Invalid', `json-patch: the path ${path} does not exist`);
      parent = next as Json | unknown[];
    }
    const last = parts.at(-1) as string;
    const read = () => (Array.isArray(parent) ? parent[Number(last)] : parent[last]);
    switch (op.op) {
      case 'add':
        if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, clone(op.value));
        else parent[last] = clone(op.value);
        break;
      case 'replace':
        if (read() === undefined) throw new ApiError(422, 'Invalid', `json-patch: replace of a missing ${path}`);
        if (Array.isArray(parent)) parent[Number(last)] = clone(op.value);
        else parent[last] = clone(op.value);
        break;
      case 'remove':
        if (read() === undefined) throw new ApiError(422, 'Invalid', `json-patch: remove of a missing ${path}`);
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
        break;
      case 'test':
        if (JSON.stringify(read()) !== JSON.stringify(op.value)) throw new ApiError(422, 'Invalid', `json-patch: test of ${path} failed`);
        break;
      default:
        throw new ApiError(400, 'BadRequest', `json-patch: the op ${String(op.op)} is not supported by the fake`);
    }
  }
  return doc;
}

/** What the kubelet part keeps per pod template: its model server, or why it cannot run. */
interface PodTemplateRun {
  key: string;
  state: 'starting' | 'running' | 'crashing' | 'stuck';
  server?: ModelServer;
  error?: string;
  restarts: number;
  startedAt: number;
  crashTimer?: NodeJS.Timeout;
}

interface DeploymentRuntime {
  /** The template (and generation) the controller last acted on. */
  templateKey?: string;
  run?: PodTemplateRun;
  /** The server whose pods are ready (the old template's until the new one is), for the service proxy. */
  serving?: ModelServer;
  servingReplicas: number;
  timers: NodeJS.Timeout[];
  deadlineTimer?: NodeJS.Timeout;
}

export class FakeKubernetesApi {
  readonly requests: RecordedRequest[] = [];
  readonly token: string;
  private readonly objects = new Map<string, StoredObject>();
  private readonly runtimes = new Map<string, DeploymentRuntime>();
  /** Model servers by what they load, shared by the pods (and colours) that run the same thing. */
  private readonly servers = new Map<string, Promise<ModelServer>>();
  private readonly tempDirs: string[] = [];
  private readonly hooks: Array<{ method: string; path: string; run: () => void }> = [];
  private readonly neverReady: Array<(deployment: StoredObject) => boolean> = [];
  private resourceVersion = 1000;
  private closed = false;
  private http!: Server;

  private constructor(private readonly options: FakeKubernetesApiOptions) {
    this.token = options.token ?? 'fake-token';
    for (const name of options.namespaces ?? []) this.put(this.key(RESOURCES[3] as ResourceType, undefined, name), { apiVersion: 'v1', kind: 'Namespace', metadata: this.newMetadata({ name }), spec: {}, status: { phase: 'Active' } });
  }

  static async start(options: FakeKubernetesApiOptions = {}): Promise<FakeKubernetesApi> {
    const fake = new FakeKubernetesApi(options);
    fake.http = createServer((request, response) => void fake.handle(request, response));
    await new Promise<void>((resolvePromise) => fake.http.listen(0, '127.0.0.1', resolvePromise));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  /** A kubeconfig for this server, as `kubectl config view` would hold it (plain http needs skipTLSVerify in client-node). */
  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'fake', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'opsbot', token: this.token }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'opsbot' }],
      currentContext: 'fake',
    });
    return kc;
  }

  /** The kubeconfig as a YAML file's text, for code that loads one from disk. */
  kubeConfigYaml(): string {
    return this.kubeConfig().exportConfig();
  }

  /** An object as stored, or undefined. */
  get(kind: 'Deployment' | 'Service' | 'HorizontalPodAutoscaler' | 'Namespace', namespace: string | undefined, name: string): StoredObject | undefined {
    const type = RESOURCES.find((r) => r.kind === kind) as ResourceType;
    const found = this.objects.get(this.key(type, namespace, name));
    return found ? clone(found) : undefined;
  }

  list(kind: 'Deployment' | 'Service' | 'HorizontalPodAutoscaler', namespace: string): StoredObject[] {
    const type = RESOURCES.find((r) => r.kind === kind) as ResourceType;
    const prefix = this.key(type, namespace, '');
    return [...this.objects.entries()].filter(([key]) => key.startsWith(prefix)).map(([, object]) => clone(object));
  }

  /** Requests that changed something (not GETs), optionally only those whose path includes `pathPart`. */
  writes(pathPart = ''): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET' && r.path.includes(pathPart) && !r.path.includes('/proxy/'));
  }

  /**
   * Before the next `method` on `path` is handled, someone else writes the object (an annotation, as a controller
   * or `kubectl annotate` would): its resourceVersion moves on, so a write based on an earlier read conflicts.
   */
  concurrentWriteBeforeNext(method: string, path: string): void {
    this.hooks.push({
      method,
      path,
      run: () => {
        const key = this.keyOfPath(path);
        const object = key ? this.objects.get(key) : undefined;
        if (!object) return;
        object.metadata.annotations = { ...(object.metadata.annotations as Record<string, string> | undefined), 'example.com/touched-by': 'someone-else' };
        object.metadata.resourceVersion = this.nextVersion();
      },
    });
  }

  /** Pods of Deployments matching `predicate` start but never pass readiness (no crash): only the progress deadline ends it. */
  neverBecomeReady(predicate: (deployment: StoredObject) => boolean): void {
    this.neverReady.push(predicate);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const runtime of this.runtimes.values()) this.stopTimers(runtime);
    await new Promise<void>((resolvePromise) => {
      this.http.closeAllConnections();
      this.http.close(() => resolvePromise());
    });
    const servers = await Promise.allSettled(this.servers.values());
    await Promise.all(servers.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
    for (const dir of this.tempDirs) rmSync(dir, { recursive: true, force: true });
  }

  // ---------------------------------------------------------------- HTTP

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const contentType = request.headers['content-type']?.split(';')[0]?.trim();
    let body: unknown;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const method = request.method ?? 'GET';
    const path = request.url ?? '/';
    const record: RecordedRequest = { method, path, contentType, body, status: 0 };
    this.requests.push(record);
    const send = (status: number, payload: unknown, type = JSON_TYPE) => {
      record.status = status;
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
      response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
      response.end(text);
    };
    try {
      if (request.headers.authorization !== `Bearer ${this.token}`) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
      const hook = this.hooks.findIndex((h) => h.method === method && path.split('?')[0] === h.path);
      if (hook >= 0) this.hooks.splice(hook, 1)[0]?.run();
      const url = new URL(path, 'http://fake');
      const proxy = url.pathname.match(/^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)\/proxy(\/.*)?$/);
      if (proxy) {
        const upstream = await this.proxy(decodeURIComponent(proxy[1] as string), decodeURIComponent(proxy[2] as string), `${proxy[3] ?? '/'}${url.search}`, method, raw, contentType);
        record.status = upstream.status;
        response.writeHead(upstream.status, { 'content-type': upstream.contentType, 'content-length': Buffer.byteLength(upstream.body) });
        response.end(upstream.body);
        return;
      }
      const result = this.route(method, url, contentType, body);
      send(result.status, result.body);
    } catch (error) {
      if (error instanceof ApiError) return send(error.code, statusObject(error));
      send(500, statusObject(new ApiError(500, 'InternalError', (error as Error).stack ?? String(error))));
    }
  }

  private route(method: string, url: URL, contentType: string | undefined, body: unknown): { status: number; body: unknown } {
    const parsed = this.parsePath(url.pathname);
    if (!parsed) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
    const { type, namespace, name, subresource } = parsed;
    if (type.plural === 'pods') {
      if (method !== 'GET' || name) throw new ApiError(405, 'MethodNotAllowed', 'the fake lists pods only');
      return { status: 200, body: this.podList(namespace as string, url.searchParams.get('labelSelector') ?? '') };
    }
    if (type.namespaced && namespace && method !== 'GET' && !this.objects.has(this.key(RESOURCES[3] as ResourceType, undefined, namespace))) {
      throw new ApiError(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
    }
    if (!name) {
      if (method === 'GET') return { status: 200, body: this.listBody(type, namespace, url.searchParams.get('labelSelector') ?? '') };
      if (method === 'POST') {
        requireType(contentType, [JSON_TYPE]);
        return { status: 201, body: this.create(type, namespace, body) };
      }
      throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed on a collection`);
    }
    const key = this.key(type, namespace, name);
    const current = this.objects.get(key);
    const notFound = () => new ApiError(404, 'NotFound', `${type.plural}${type.group ? `.${type.group}` : ''} "${name}" not found`, { name, group: type.group, kind: type.plural });
    if (subresource === 'scale') {
      if (type.kind !== 'Deployment') throw new ApiError(404, 'NotFound', 'no scale subresource');
      if (!current) throw notFound();
      if (method === 'GET') return { status: 200, body: scaleOf(current) };
      let wanted: Json;
      if (method === 'PUT') {
        requireType(contentType, [JSON_TYPE]);
        wanted = body as Json;
      } else if (method === 'PATCH') wanted = this.applyPatch(scaleOf(current), contentType, body) as Json;
      else throw new ApiError(405, 'MethodNotAllowed', `${method} on scale`);
      const rv = (wanted.metadata as Json | undefined)?.resourceVersion;
      if (rv !== undefined && rv !== current.metadata.resourceVersion) throw conflict(type, name);
      const replicas = (wanted.spec as Json | undefined)?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) throw invalid(type, name, 'spec.replicas: Invalid value: must be a non-negative integer');
      const updated = clone(current);
      (updated.spec as Json).replicas = replicas;
      this.write(type, key, current, updated);
      return { status: 200, body: scaleOf(this.objects.get(key) as StoredObject) };
    }
    if (method === 'GET') {
      if (!current) throw notFound();
      return { status: 200, body: current };
    }
    if (method === 'DELETE') {
      if (!current) throw notFound();
      this.objects.delete(key);
      if (type.kind === 'Deployment') this.forgetDeployment(key);
      return { status: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, group: type.group, kind: type.plural, uid: current.metadata.uid } } };
    }
    if (!current) throw notFound();
    let next: StoredObject;
    if (method === 'PUT') {
      requireType(contentType, [JSON_TYPE]);
      next = clone(body) as StoredObject;
    } else if (method === 'PATCH') next = this.applyPatch(current, contentType, body) as StoredObject;
    else throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed`);
    const rv = (next.metadata as Json | undefined)?.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== current.metadata.resourceVersion) throw conflict(type, name);
    if ((next.metadata as Json | undefined)?.name !== undefined && next.metadata.name !== name) throw invalid(type, name, 'metadata.name: Invalid value: the name of the object does not match the name on the URL');
    // The main resource ignores status, the status subresource ignores everything else.
    const updated: StoredObject =
      subresource === 'status'
        ? { ...clone(current), status: next.status }
        : { ...next, apiVersion: current.apiVersion, kind: current.kind, metadata: { ...next.metadata, name, namespace: current.metadata.namespace, uid: current.metadata.uid, creationTimestamp: current.metadata.creationTimestamp, resourceVersion: current.metadata.resourceVersion, generation: current.metadata.generation }, status: current.status } as StoredObject;
    if (subresource !== 'status') {
      this.defaults(type, updated, current);
      this.validate(type, updated, current);
    }
    this.write(type, key, current, updated);
    return { status: 200, body: this.objects.get(key) };
  }

  private applyPatch(current: unknown, contentType: string | undefined, body: unknown): unknown {
    requireType(contentType, PATCH_TYPES);
    if (contentType === 'application/json-patch+json') return jsonPatch(current, body);
    if (!isObject(body)) throw new ApiError(400, 'BadRequest', 'a merge patch body is a JSON object');
    if (contentType === 'application/merge-patch+json') return mergePatch(current, body);
    return strategicMergePatch(current, body, undefined, (current as Json).kind as string);
  }

  private create(type: ResourceType, namespace: string | undefined, body: unknown): StoredObject {
    if (!isObject(body) || !isObject(body.metadata) || typeof body.metadata.name !== 'string') throw new ApiError(422, 'Invalid', 'metadata.name: Required value');
    const name = body.metadata.name;
    const key = this.key(type, namespace, name);
    if (this.objects.has(key)) throw new ApiError(409, 'AlreadyExists', `${type.plural}${type.group ? `.${type.group}` : ''} "${name}" already exists`, { name, group: type.group, kind: type.plural });
    if (body.metadata.namespace !== undefined && body.metadata.namespace !== namespace) throw new ApiError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    const object = { ...clone(body), apiVersion: type.group ? `${type.group}/${type.version}` : type.version, kind: type.kind } as StoredObject;
    object.metadata = { ...this.newMetadata({ name, ...(namespace ? { namespace } : {}) }), ...(object.metadata.labels ? { labels: object.metadata.labels } : {}), ...(object.metadata.annotations ? { annotations: object.metadata.annotations } : {}) } as StoredObject['metadata'];
    if (type.generation) object.metadata.generation = 1;
    delete object.status;
    this.defaults(type, object);
    this.validate(type, object);
    object.status = type.kind === 'Deployment' ? {} : type.kind === 'Namespace' ? { phase: 'Active' } : {};
    this.put(key, object);
    this.afterWrite(type, key);
    return clone(object);
  }

  /** Stores an update: a new resourceVersion if anything changed, a new generation if the spec did. */
  private write(type: ResourceType, key: string, current: StoredObject, updated: StoredObject): void {
    const { resourceVersion: _a, generation: _b, ...metaBefore } = current.metadata;
    const { resourceVersion: _c, generation: _d, ...metaAfter } = updated.metadata;
    const specChanged = JSON.stringify(current.spec) !== JSON.stringify(updated.spec);
    const changed = specChanged || JSON.stringify(metaBefore) !== JSON.stringify(metaAfter) || JSON.stringify(current.status) !== JSON.stringify(updated.status);
    if (!changed) return;
    updated.metadata.resourceVersion = this.nextVersion();
    if (type.generation) updated.metadata.generation = (current.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    this.put(key, updated);
    if (specChanged) this.afterWrite(type, key);
  }

  private defaults(type: ResourceType, object: StoredObject, current?: StoredObject): void {
    const spec = (object.spec ??= {});
    if (type.kind === 'Deployment') {
      spec.replicas ??= 1;
      spec.progressDeadlineSeconds ??= 600;
      spec.revisionHistoryLimit ??= 10;
    }
    if (type.kind === 'Service') {
      spec.type ??= 'ClusterIP';
      spec.sessionAffinity ??= 'None';
      spec.clusterIP = (current?.spec?.clusterIP as string | undefined) ?? `10.96.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;
    }
    if (type.kind === 'HorizontalPodAutoscaler') spec.minReplicas ??= 1;
  }

  /** The checks of the real API server that opsbot's objects could trip over (422 Invalid). */
  private validate(type: ResourceType, object: StoredObject, current?: StoredObject): void {
    const name = object.metadata.name;
    const spec = object.spec as Json;
    if (type.kind === 'Service' && !/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) throw invalid(type, name, `metadata.name: Invalid value: "${name}": a DNS-1035 label must start with a letter and be at most 63 characters`);
    if (type.kind === 'Deployment') {
      const selector = (spec.selector as Json | undefined)?.matchLabels as Record<string, string> | undefined;
      const template = spec.template as { metadata?: { labels?: Record<string, string> }; spec?: { containers?: Json[] } } | undefined;
      if (!selector || Object.keys(selector).length === 0) throw invalid(type, name, 'spec.selector: Required value');
      const labels = template?.metadata?.labels ?? {};
      if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) throw invalid(type, name, 'spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`');
      if (!template?.spec?.containers?.length) throw invalid(type, name, 'spec.template.spec.containers: Required value');
      if (current && JSON.stringify((current.spec as Json).selector) !== JSON.stringify(spec.selector)) throw invalid(type, name, 'spec.selector: Invalid value: field is immutable');
    }
    if (type.kind === 'HorizontalPodAutoscaler') {
      if (typeof spec.maxReplicas !== 'number' || (spec.minReplicas as number) > spec.maxReplicas) throw invalid(type, name, 'spec.maxReplicas: Invalid value: must be greater than or equal to minReplicas');
    }
  }

  // ---------------------------------------------------------------- controllers

  private afterWrite(type: ResourceType, key: string): void {
    if (type.kind === 'HorizontalPodAutoscaler') this.runHpas();
    if (type.kind === 'Deployment') {
      this.runHpas();
      this.reconcile(key);
    }
  }

  /** An HPA keeps its target inside [min, max], but never acts on one at 0 replicas (scaled to zero = off). */
  private runHpas(): void {
    for (const [, hpa] of [...this.objects.entries()].filter(([, o]) => o.kind === 'HorizontalPodAutoscaler')) {
      const spec = hpa.spec as { minReplicas: number; maxReplicas: number; scaleTargetRef: { name: string } };
      const key = this.key(RESOURCES[0] as ResourceType, hpa.metadata.namespace, spec.scaleTargetRef.name);
      const target = this.objects.get(key);
      const replicas = (target?.spec as Json | undefined)?.replicas as number | undefined;
      if (!target || !replicas) continue;
      const clamped = Math.min(spec.maxReplicas, Math.max(spec.minReplicas, replicas));
      if (clamped === replicas) continue;
      const updated = clone(target);
      (updated.spec as Json).replicas = clamped;
      this.write(RESOURCES[0] as ResourceType, key, target, updated);
    }
  }

  /** The Deployment controller and the kubelet: brings the status to what the pods of the current template do. */
  private reconcile(key: string): void {
    const deployment = this.objects.get(key);
    if (!deployment || this.closed) return;
    const runtime = this.runtimes.get(key) ?? { servingReplicas: 0, timers: [] };
    this.runtimes.set(key, runtime);
    const spec = deployment.spec as Json;
    const replicas = spec.replicas as number;
    const templateKey = JSON.stringify(spec.template);
    const generation = deployment.metadata.generation as number;
    const sameTemplate = runtime.templateKey === templateKey && runtime.run !== undefined;
    if (!sameTemplate) {
      if (runtime.deadlineTimer) clearTimeout(runtime.deadlineTimer);
      if (runtime.run?.crashTimer) clearInterval(runtime.run.crashTimer);
      runtime.templateKey = templateKey;
      runtime.run = this.startTemplate(deployment);
    }
    const run = runtime.run as PodTemplateRun;
    const progressing = (status: 'True' | 'False', reason: string, message: string) => ({ type: 'Progressing', status, reason, message });
    const name = deployment.metadata.name;
    const rsName = `${name}-${hashOf(templateKey)}`;
    // What the old pods still serve while the new ones start.
    const oldReady = sameTemplate ? 0 : runtime.servingReplicas;
    this.setStatus(key, generation, {
      replicas: replicas + oldReady,
      updatedReplicas: replicas,
      readyReplicas: run.state === 'running' && sameTemplate ? Math.min(runtime.servingReplicas, replicas) : oldReady,
      availableReplicas: run.state === 'running' && sameTemplate ? Math.min(runtime.servingReplicas, replicas) : oldReady,
      conditions: [progressing('True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`)],
    });
    const settle = () => {
      if (this.closed || this.runtimes.get(key) !== runtime || runtime.templateKey !== templateKey || this.objects.get(key)?.metadata.generation !== generation) return;
      if (run.state === 'running') {
        runtime.serving = replicas > 0 ? run.server : undefined;
        runtime.servingReplicas = replicas;
        if (runtime.deadlineTimer) clearTimeout(runtime.deadlineTimer);
        this.setStatus(key, generation, {
          replicas,
          updatedReplicas: replicas,
          readyReplicas: replicas,
          availableReplicas: replicas,
          conditions: [
            { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
            progressing('True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`),
          ],
        });
      }
    };
    if (replicas === 0) {
      runtime.serving = undefined;
      runtime.servingReplicas = 0;
      runtime.timers.push(setTimeout(() => this.setStatus(key, generation, { conditions: [progressing('True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`)] }), this.options.readyDelayMs ?? 20));
      return;
    }
    if (run.state === 'running') {
      runtime.timers.push(setTimeout(settle, this.options.readyDelayMs ?? 20));
      return;
    }
    const started = run.server ? Promise.resolve() : this.servers.get(run.key);
    void started?.then(
      () => runtime.timers.push(setTimeout(settle, this.options.readyDelayMs ?? 20)),
      () => undefined,
    );
    const deadline = () => {
      if (this.closed || runtime.templateKey !== templateKey || run.state === 'running') return;
      const current = this.objects.get(key);
      if (!current || current.metadata.generation !== generation) return;
      this.setStatus(key, generation, { ...(current.status as Json), conditions: [progressing('False', 'ProgressDeadlineExceeded', `ReplicaSet "${rsName}" has timed out progressing.`)] });
    };
    if (runtime.deadlineTimer) clearTimeout(runtime.deadlineTimer);
    runtime.deadlineTimer = setTimeout(deadline, this.options.progressDeadlineMs ?? 1500);
  }

  /** Runs a pod template as the kubelet would: its init containers, then its model server, for real. */
  private startTemplate(deployment: StoredObject): PodTemplateRun {
    const template = (deployment.spec as Json).template as { spec: Json & { containers: Json[]; initContainers?: Json[]; volumes?: Json[] } };
    const run: PodTemplateRun = { key: '', state: 'starting', restarts: 0, startedAt: Date.now() };
    if (this.neverReady.some((p) => p(deployment))) {
      run.state = 'stuck';
      return run;
    }
    const crash = (error: unknown) => {
      run.state = 'crashing';
      run.error = (error as Error).message;
      run.crashTimer = setInterval(() => run.restarts++, this.options.crashRestartMs ?? 60);
    };
    try {
      const container = template.spec.containers[0] as Json;
      const args = [...((container.command as string[] | undefined) ?? []), ...((container.args as string[] | undefined) ?? [])];
      const flag = (name: string) => args[args.indexOf(name) + 1];
      if (!args.includes('serve-model')) throw new Error(`the container does not run serve-model: ${args.join(' ')}`);
      const model = flag('--model') as string;
      const version = Number(flag('--version'));
      const modelDir = flag('--model-dir') as string;
      const namespace = deployment.metadata.namespace as string;
      const volumes = new Map<string, string>();
      const hostDir = (mounts: Json[] | undefined, path: string): string => {
        const mount = (mounts ?? []).find((m) => path === m.mountPath || path.startsWith(`${String(m.mountPath)}/`));
        if (!mount) throw new Error(`no volume is mounted at ${path}`);
        const root = volumes.get(mount.name as string);
        if (!root) throw new Error(`volume ${String(mount.name)} is not defined`);
        return resolve(root, (mount.subPath as string | undefined) ?? '', path.slice(String(mount.mountPath).length).replace(/^\//, ''));
      };
      for (const volume of template.spec.volumes ?? []) {
        const claim = (volume.persistentVolumeClaim as Json | undefined)?.claimName as string | undefined;
        if (claim) {
          const dir = this.options.claims?.[claim];
          if (!dir) throw new Error(`persistentvolumeclaim "${claim}" not found`);
          volumes.set(volume.name as string, dir);
        } else if (volume.emptyDir) {
          const dir = mkdtempSync(join(tmpdir(), 'fake-k8s-emptydir-'));
          this.tempDirs.push(dir);
          volumes.set(volume.name as string, dir);
        }
      }
      const init = (template.spec.initContainers ?? []).map((c) => async () => {
        const initArgs = [...((c.args as string[] | undefined) ?? [])];
        if (initArgs[0] !== 'fetch-artifact') throw new Error(`the fake runs only fetch-artifact init containers, not ${initArgs.join(' ')}`);
        const env: NodeJS.ProcessEnv = {};
        for (const variable of (c.env as Json[] | undefined) ?? []) {
          const ref = (variable.valueFrom as Json | undefined)?.secretKeyRef as { name: string; key: string } | undefined;
          const value = ref ? this.options.secrets?.[`${namespace}/${ref.name}`]?.[ref.key] : (variable.value as string | undefined);
          if (value === undefined) throw new Error(`CreateContainerConfigError: secret "${ref?.name}" not found`);
          env[variable.name as string] = value;
        }
        const to = initArgs.indexOf('--to');
        initArgs[to + 1] = hostDir(c.volumeMounts as Json[], initArgs[to + 1] as string);
        await runFetchArtifact(initArgs.slice(1), { env, stdout: { write: () => true } as unknown as NodeJS.WritableStream, retryDelayMs: 10 });
      });
      const dir = hostDir(container.volumeMounts as Json[], modelDir);
      run.key = `${dir}|${model}|${version}`;
      const existing = init.length === 0 ? this.servers.get(run.key) : undefined;
      const server =
        existing ??
        (async () => {
          for (const step of init) await step();
          // What `serve-model --model-dir` does: the manifest in the directory, no registry.
          const entry: ModelVersion = { model, version, artifactPath: 'model.json', params: {}, createdAt: '', createdBy: '', jobId: '', dataset: '', datasetHash: '', metrics: {} };
          const started = await ModelServer.start({ name: model, version, load: () => loadServedModel(dir, entry), options: { port: 0, host: '127.0.0.1' } });
          try {
            await started.ready;
          } catch (error) {
            await started.close();
            throw error;
          }
          return started;
        })();
      if (init.length > 0) run.key = `${run.key}|${randomUUID()}`;
      this.servers.set(run.key, server);
      server.then(
        (s) => {
          run.server = s;
          run.state = 'running';
        },
        crash,
      );
    } catch (error) {
      crash(error);
    }
    return run;
  }

  private setStatus(key: string, generation: number, status: Json): void {
    const current = this.objects.get(key);
    if (!current || current.metadata.generation !== generation) return;
    // As the API's JSON: zero counts are left out (omitempty).
    const cleaned: Json = { observedGeneration: generation };
    for (const [k, v] of Object.entries(status)) if (v !== 0 && v !== undefined) cleaned[k] = v;
    if (JSON.stringify(current.status) === JSON.stringify(cleaned)) return;
    this.put(key, { ...current, status: cleaned, metadata: { ...current.metadata, resourceVersion: this.nextVersion() } });
  }

  private forgetDeployment(key: string): void {
    const runtime = this.runtimes.get(key);
    if (runtime) this.stopTimers(runtime);
    this.runtimes.delete(key);
  }

  private stopTimers(runtime: DeploymentRuntime): void {
    for (const timer of runtime.timers) clearTimeout(timer);
    if (runtime.deadlineTimer) clearTimeout(runtime.deadlineTimer);
    if (runtime.run?.crashTimer) clearInterval(runtime.run.crashTimer);
  }

  /** Pods as the kubelet reports them, for each Deployment the selector matches. */
  private podList(namespace: string, labelSelector: string): Json {
    const items: Json[] = [];
    for (const [key, deployment] of this.objects) {
      if (deployment.kind !== 'Deployment' || deployment.metadata.namespace !== namespace) continue;
      const template = (deployment.spec as Json).template as { metadata: { labels: Record<string, string> } };
      if (!matches(template.metadata.labels, labelSelector)) continue;
      const run = this.runtimes.get(key)?.run;
      const replicas = (deployment.spec as Json).replicas as number;
      for (let i = 0; i < replicas; i++) {
        const ready = run?.state === 'running';
        const state =
          run?.state === 'crashing'
            ? { waiting: { reason: run.restarts > 0 ? 'CrashLoopBackOff' : 'Error', message: `back-off restarting failed container model-server: ${run.error}` } }
            : { running: { startedAt: new Date(run?.startedAt ?? Date.now()).toISOString() } };
        items.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `${deployment.metadata.name}-${hashOf(JSON.stringify(template))}-${i}`, namespace, labels: template.metadata.labels },
          status: {
            phase: 'Running',
            conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
            containerStatuses: [
              {
                name: 'model-server',
                ready,
                restartCount: run?.restarts ?? 0,
                image: 'fake',
                imageID: 'fake',
                state,
                ...(run?.state === 'crashing' ? { lastState: { terminated: { exitCode: 1, reason: 'Error' } } } : {}),
              },
            ],
          },
        });
      }
    }
    return { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: String(this.resourceVersion) }, items };
  }

  /** The service proxy: to the model server whose ready pods the Service selects. */
  private async proxy(namespace: string, service: string, path: string, method: string, body: string, contentType?: string): Promise<{ status: number; body: string; contentType: string }> {
    const [name, port] = service.split(':').length === 3 ? service.split(':').slice(1) : service.split(':');
    const svc = this.objects.get(this.key(RESOURCES[1] as ResourceType, namespace, name as string));
    if (!svc) throw new ApiError(404, 'NotFound', `services "${name}" not found`, { name, kind: 'services' });
    const ports = ((svc.spec as Json).ports as Json[] | undefined) ?? [];
    if (port && !ports.some((p) => p.name === port || String(p.port) === port)) throw new ApiError(503, 'ServiceUnavailable', `no endpoints available for service "${service}"`);
    const selector = (svc.spec as Json).selector as Record<string, string>;
    const backend = [...this.objects.entries()].find(([key, o]) => {
      if (o.kind !== 'Deployment' || o.metadata.namespace !== namespace) return false;
      const labels = (((o.spec as Json).template as Json).metadata as Json).labels as Record<string, string>;
      return Object.entries(selector).every(([k, v]) => labels[k] === v) && this.runtimes.get(key)?.serving !== undefined;
    });
    const server = backend ? this.runtimes.get(backend[0])?.serving : undefined;
    if (!server) throw new ApiError(503, 'ServiceUnavailable', `no endpoints available for service "${name}"`);
    return new Promise((resolvePromise, reject) => {
      const upstream = httpRequest(`${server.url}${path}`, { method, headers: contentType ? { 'content-type': contentType } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 502, body: Buffer.concat(chunks).toString('utf8'), contentType: res.headers['content-type'] ?? JSON_TYPE }));
      });
      upstream.on('error', reject);
      upstream.end(body || undefined);
    });
  }

  // ---------------------------------------------------------------- storage and paths

  private listBody(type: ResourceType, namespace: string | undefined, labelSelector: string): Json {
    const prefix = this.key(type, namespace, '');
    const items = [...this.objects.entries()].filter(([key, o]) => key.startsWith(prefix) && matches(o.metadata.labels ?? {}, labelSelector)).map(([, o]) => o);
    return { apiVersion: type.group ? `${type.group}/${type.version}` : type.version, kind: `${type.kind}List`, metadata: { resourceVersion: String(this.resourceVersion) }, items };
  }

  private parsePath(pathname: string): { type: ResourceType; namespace?: string; name?: string; subresource?: string } | undefined {
    const match = pathname.match(/^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/);
    if (!match) {
      const namespace = pathname.match(/^\/api\/v1\/namespaces(?:\/([^/]+))?$/);
      if (namespace) return { type: RESOURCES[3] as ResourceType, name: namespace[1] };
      return undefined;
    }
    const [, coreVersion, group = '', groupVersion, namespace, plural, name, subresource] = match;
    const version = coreVersion ?? groupVersion;
    const type = RESOURCES.find((r) => r.plural === plural && r.group === group && r.version === version);
    if (!type || (type.namespaced && !namespace)) return undefined;
    if (subresource && !['scale', 'status'].includes(subresource)) return undefined;
    return { type, namespace, name: name ? decodeURIComponent(name) : undefined, subresource };
  }

  private keyOfPath(path: string): string | undefined {
    const parsed = this.parsePath(new URL(path, 'http://fake').pathname);
    return parsed?.name ? this.key(parsed.type, parsed.namespace, parsed.name) : undefined;
  }

  private key(type: ResourceType, namespace: string | undefined, name: string): string {
    return `${type.group}/${type.plural}/${namespace ?? ''}/${name}`;
  }

  private put(key: string, object: StoredObject): void {
    this.objects.set(key, object);
  }

  private nextVersion(): string {
    return String(++this.resourceVersion);
  }

  private newMetadata(fields: { name: string; namespace?: string }): StoredObject['metadata'] {
    return { ...fields, uid: randomUUID(), resourceVersion: this.nextVersion(), creationTimestamp: new Date().toISOString() };
  }
}

function statusObject(error: ApiError): Json {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: error.message, reason: error.reason, ...(error.details ? { details: error.details } : {}), code: error.code };
}

function requireType(contentType: string | undefined, allowed: string[]): void {
  if (!contentType || !allowed.includes(contentType)) throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${allowed.join(', ')}`);
}

function conflict(type: ResourceType, name: string): ApiError {
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${type.plural}${type.group ? `.${type.group}` : ''} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, group: type.group, kind: type.plural });
}

function invalid(type: ResourceType, name: string, cause: string): ApiError {
  return new ApiError(422, 'Invalid', `${type.kind}${type.group ? `.${type.group}` : ''} "${name}" is invalid: ${cause}`, { name, group: type.group, kind: type.kind });
}

function scaleOf(deployment: StoredObject): Json {
  const selector = (((deployment.spec as Json).selector as Json).matchLabels ?? {}) as Record<string, string>;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: deployment.metadata.name, namespace: deployment.metadata.namespace, uid: deployment.metadata.uid, resourceVersion: deployment.metadata.resourceVersion, creationTimestamp: deployment.metadata.creationTimestamp },
    spec: { replicas: (deployment.spec as Json).replicas },
    status: {
      replicas: ((deployment.status as Json | undefined)?.replicas as number | undefined) ?? 0,
      selector: Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    },
  };
}

/** Equality-based label selectors (`a=b,c=d`), all the target uses. */
function matches(labels: Record<string, string>, selector: string): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [k, v] = term.split('=');
    return labels[k as string] === v;
  });
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}
