import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger, type Logger } from '../core/index.js';
import { RedisPredictionTier } from './cache/redis-prediction-tier.js';
import { HttpError } from './http/http-error.js';
import { readInferenceBody, readJsonBody } from './http/read-json-body.js';
import { json, type Reply } from './http/reply.js';
import { RouteTable } from './http/route-table.js';
import { v1Routes } from './http/v1-routes.js';
import { v2Routes } from './http/v2-routes.js';
import { InferenceService } from './inference-service.js';
import { ModelServerMetrics } from './model-server-metrics.js';
import { modelServerOptionsSchema, type ModelServerOptions, type ModelServerOptionsInput } from './model-server-options.js';
import type { ServedModel } from './served-model.js';
import type { ServingPhase, ServingState } from './serving-state.js';

export interface ModelServerInit {
  /** The registered model and version this server answers for; known before its files are loaded. */
  name: string;
  version: number;
  /** Loads the session (loadServedModel); the server listens, not ready, meanwhile. */
  load: () => Promise<ServedModel>;
  options?: ModelServerOptionsInput;
  log?: Logger;
}

type Handler = (server: ModelServer, params: string[], request: IncomingMessage) => Reply | Promise<Reply>;

const NAME = '([^/:]+)';
const VERSIONED = `/v2/models/${NAME}(?:/versions/([^/]+))?`;
const body = (server: ModelServer, request: IncomingMessage) => readJsonBody(request, server.options.maxBodyBytes);

const ROUTES = new RouteTable<Handler>()
  .add('GET', '/healthz', /^\/healthz$/, (s) => (s.phase === 'ready' ? json({ status: 'ready' }) : json({ status: s.phase }, 503)))
  .add('GET', '/metrics', /^\/metrics$/, async (s) => ({ status: 200, body: await s.metrics.registry.metrics(), contentType: s.metrics.registry.contentType }))
  .add('GET', '/', /^\/$/, () => json({ status: 'alive' }))
  .add('GET', '/v1/models', /^\/v1\/models$/, (s) => v1Routes.list(s))
  .add('POST', '/v1/models/:name:predict', new RegExp(`^/v1/models/${NAME}:predict$`), (s, [name], r) => body(s, r).then((json) => v1Routes.predict(s, name as string, json)))
  .add('GET', '/v1/models/:name', new RegExp(`^/v1/models/${NAME}$`), (s, [name]) => v1Routes.status(s, name as string))
  .add('GET', '/v2', /^\/v2$/, () => v2Routes.server())
  .add('GET', '/v2/health/live', /^\/v2\/health\/live$/, () => v2Routes.live())
  .add('GET', '/v2/health/ready', /^\/v2\/health\/ready$/, (s) => v2Routes.ready(s))
  .add('GET', '/v2/models/:name/ready', new RegExp(`^${VERSIONED}/ready$`), (s, [name, version]) => v2Routes.modelReady(s, name as string, version))
  .add('POST', '/v2/models/:name/infer', new RegExp(`^${VERSIONED}/infer$`), (s, [name, version], r) => readInferenceBody(r, s.options.maxBodyBytes).then((b) => v2Routes.infer(s, name as string, version, b)))
  .add('GET', '/v2/models/:name', new RegExp(`^${VERSIONED}$`), (s, [name, version]) => v2Routes.metadata(s, name as string, version));

/**
 * `opsbot serve-model`: one registered version behind KServe V1 and the Open Inference
 * Protocol, with dynamic batching, a two-tier prediction cache and Prometheus metrics.
 * It listens at once and loads in the background, so probes see it start: /healthz turns
 * 200 only after the session is loaded and a warm-up inference has passed.
 */
export class ModelServer implements ServingState {
  readonly name: string;
  readonly version: number;
  readonly options: ModelServerOptions;
  readonly metrics: ModelServerMetrics;
  readonly limits: ServingState['limits'];
  phase: ServingPhase = 'loading';
  service?: InferenceService;
  /** Settles when the model is ready to answer, or rejects with why it could not load. */
  readonly ready: Promise<void>;
  private readonly http: Server;
  private readonly log: Logger;
  private redis?: RedisPredictionTier;
  private model?: ServedModel;
  private inFlight = 0;
  private idle?: () => void;
  private closing?: Promise<void>;

  private constructor(init: ModelServerInit) {
    this.name = init.name;
    this.version = init.version;
    this.options = modelServerOptionsSchema.parse(init.options ?? {});
    this.log = init.log ?? silentLogger;
    this.limits = { maxTextsPerRequest: this.options.maxTextsPerRequest, maxTextChars: this.options.maxTextChars, maxBodyBytes: this.options.maxBodyBytes };
    this.metrics = new ModelServerMetrics(init.name, init.version, () => this.inFlight);
    this.http = createServer({ keepAliveTimeout: 65_000, requestTimeout: 30_000 }, (request, response) => void this.handle(request, response));
    this.ready = this.load(init.load);
    // A failed load is reported through `ready` and /healthz; nobody may be awaiting it yet.
    this.ready.catch(() => {});
  }

  /** Starts listening (port 0: a free one, see `port`) and loading the model. */
  static async start(init: ModelServerInit): Promise<ModelServer> {
    const server = new ModelServer(init);
    await new Promise<void>((resolve, reject) => {
      server.http.once('error', reject);
      server.http.listen(server.options.port, server.options.host, () => {
        server.http.off('error', reject);
        resolve();
      });
    });
    return server;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  get url(): string {
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return `http://${host}:${this.port}`;
  }

  /**
   * Graceful shutdown: not ready at once (probes take the replica out), no new connections,
   * requests in flight answered (their keep-alive connections closed after), then the
   * session released. Connections still busy after `drainTimeoutMs` are cut.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    if (this.phase !== 'failed') this.phase = 'draining';
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeIdleConnections();
    const drained = this.inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (this.idle = resolve));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.options.drainTimeoutMs)));
    if ((await Promise.race([drained, timedOut])) === 'timeout') {
      this.log.warn({ inFlight: this.inFlight }, 'requests still in flight after the drain timeout; closing their connections');
      this.http.closeAllConnections();
    }
    clearTimeout(timer);
    await closed;
    await this.ready.catch(() => {});
    await this.service?.drain();
    await this.model?.close();
    await this.redis?.close();
  }

  private async load(load: () => Promise<ServedModel>): Promise<void> {
    try {
      const model = await load();
      this.model = model;
      if (model.name !== this.name || model.version !== this.version) throw new Error(`loaded ${model.name} v${model.version} where ${this.name} v${this.version} was asked for`);
      const { maxBatch, batchDelayMs, cacheSize, cacheTtlS, redisUrl, redisKeyPrefix, waitForFullBatch } = this.options;
      if (redisUrl) this.redis = new RedisPredictionTier(redisUrl, redisKeyPrefix, cacheTtlS * 1000, model.labels.length, this.log);
      // Warm-up at both ends of the batch range, outside the cache: the first real request pays no first-run cost.
      const warm = ['opsbot warm-up', 'a second warm-up text'];
      for (const batch of [warm.slice(0, 1), Array.from({ length: maxBatch }, (_, i) => warm[i % 2] as string)]) {
        const out = await model.predict(batch);
        if (out.length !== batch.length || out.some((p) => p.length !== model.labels.length || p.some((x) => !Number.isFinite(x)))) {
          throw new Error('the warm-up inference returned no usable probabilities');
        }
      }
      const requestsInFlight = waitForFullBatch ? undefined : () => this.inFlight;
      this.service = new InferenceService(model, { maxBatch, batchDelayMs, cacheSize, cacheTtlS, redis: this.redis, requestsInFlight }, this.metrics);
      this.metrics.modelInfo.set({ precision: model.precision }, 1);
      if (this.phase === 'loading') this.phase = 'ready';
      this.log.info({ model: this.name, version: this.version, precision: model.precision }, 'model loaded and warmed up');
    } catch (error) {
      this.phase = 'failed';
      this.log.error({ err: error, model: this.name, version: this.version }, 'the model could not be loaded');
      throw error;
    }
  }

  /**
   * Not async: a handler that answers synchronously (health, a cache hit once its body is
   * read) is written and counted without another promise and microtask turn.
   */
  private handle(request: IncomingMessage, response: ServerResponse): void {
    const started = performance.now();
    this.inFlight++;
    let route = 'unmatched';
    let reply: Reply | Promise<Reply>;
    try {
      const url = request.url ?? '/';
      const query = url.indexOf('?');
      const match = ROUTES.match(request.method ?? 'GET', query < 0 ? url : url.slice(0, query));
      route = match.route;
      reply = match.handler(this, match.params, request);
    } catch (error) {
      reply = this.errorReply(error, response);
    }
    if (!(reply instanceof Promise)) return this.finish(request, response, route, started, reply);
    reply.then(
      (answer) => this.finish(request, response, route, started, answer),
      (error: unknown) => this.finish(request, response, route, started, this.errorReply(error, response)),
    );
  }

  private finish(request: IncomingMessage, response: ServerResponse, route: string, started: number, reply: Reply): void {
    this.send(request, response, reply);
    this.metrics.requests.inc({ route, code: String(reply.status) });
    this.metrics.duration.observe({ route }, (performance.now() - started) / 1000);
    if (--this.inFlight === 0) this.idle?.();
  }

  private errorReply(error: unknown, response: ServerResponse): Reply {
    if (error instanceof HttpError) {
      for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
      // The rest of a refused body is not read: the connection cannot carry another request.
      if (error.status === 413 || error.status === 415) response.setHeader('Connection', 'close');
      return json({ error: error.message }, error.status);
    }
    this.log.error({ err: error }, 'a request failed inside the model server');
    return json({ error: 'the model server failed to answer this request; see its log' }, 500);
  }

  private send(request: IncomingMessage, response: ServerResponse, reply: Reply): void {
    const payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    // Exactly application/json: KServe's client reads the error message only under that header.
    // One writeHead with the headers as a flat list: the cheapest way into Node's header writer
    // (headers an error set earlier with setHeader are merged in, as before).
    const headers = ['Content-Type', reply.contentType ?? 'application/json', 'Content-Length', String(Buffer.byteLength(payload))];
    if (this.phase === 'draining') headers.push('Connection', 'close');
    response.writeHead(reply.status, headers);
    response.end(request.method === 'HEAD' ? undefined : payload);
  }
}
