import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { LocalTargetConfig } from '../../core/config/deploy-config.schema.js';
import type {
  Colour,
  ColourPrediction,
  ColourStatus,
  DeployTarget,
  RestoreRequest,
  RolloutProgress,
  RolloutRequest,
  Scaling,
  ServingSlot,
  ServingStatus,
} from '../../core/deployments/deploy-target.port.js';
import { RolloutFailedError } from '../../core/deployments/rollout-failed.error.js';
import { ConflictError, InvalidInputError, NotFoundError, ServiceUnavailableError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.port.js';
import type { ModelRegistry } from '../../core/store/model-registry.port.js';
import { childProcessEnv } from '../../workers/child-process-env.js';
import { cacheHitRatio } from './cache-hit-ratio.js';
import { EndpointPorts } from './endpoint-ports.js';
import { LocalSlot } from './local-slot.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './restart-backoff.js';
import { Router } from './router.js';
import { defaultServeModelCommand, type ServeModelCommand } from './serve-model-command.js';
import { PoolNotReadyError, ServerPool, type PoolNotReady } from './server-pool.js';
import { servingReplicas } from './serving-replicas.js';

export interface LocalDeployTargetOptions {
  /** opsbot's data directory: versions' files are under it, and `deploy/` (the endpoints file, the servers' working directory). */
  dataDir: string;
  /** Where a version's files are (its artifactPath); only read. */
  registry: Pick<ModelRegistry, 'getVersion'>;
  /** `deploy.local` of the config. @defaultValue basePort 18700 */
  config?: LocalTargetConfig;
  log?: Logger;
  /** How long a rollout may take (`deploy.rolloutTimeoutMinutes`). @defaultValue 10 minutes */
  rolloutTimeoutMs?: number;
  /** opsbot's REDIS_URL: given to the model servers only with `sharedPredictionCache`. */
  redisUrl?: string;
  /** The model servers' log level (OPSBOT_LOG_LEVEL); their lines land in `log`. @defaultValue info */
  logLevel?: string;
  /** How a model server is started. @defaultValue the opsbot CLI this code belongs to (dist/, or app/cli.ts through tsx from source) */
  command?: ServeModelCommand;
  /** Restart delays of a crashed server. @defaultValue 0.5 s doubling to 30 s, reset after 60 s ready */
  backoff?: Partial<BackoffPolicy>;
  /** A rollout fails once a new server exited this many times without turning ready. @defaultValue 3 */
  crashLoopLimit?: number;
  /** The environment the servers' allow-listed environment is taken from. @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_ROLLOUT_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_STOP_GRACE_S = 20;
const PREDICT_TIMEOUT_MS = 30_000;
const ENDPOINTS_FILE = 'local-endpoints.json';

const v1PredictionsSchema = z.object({ predictions: z.array(z.object({ label: z.string(), probabilities: z.record(z.string(), z.number()) })) });

/**
 * The local deploy target: per model and environment, `opsbot serve-model` child processes
 * for each colour on loopback ports the OS picks, behind two routers on stable loopback ports —
 * the endpoint (the live colour) and the preview (the idle colour), both `http://127.0.0.1:<port>`
 * and any path. Ports are kept across restarts in `<dataDir>/deploy/local-endpoints.json`.
 * The servers die with opsbot: close() stops them, an exit handler kills them if opsbot exits
 * without it, and each one exits by itself when its IPC channel to opsbot closes (opsbot killed).
 */
export class LocalDeployTarget implements DeployTarget {
  readonly kind = 'local' as const;
  private readonly slots = new Map<string, LocalSlot>();
  /** Every pool that may still have processes: the slots' and those being replaced or rolled out. */
  private readonly pools = new Set<ServerPool>();
  private readonly background = new Set<Promise<unknown>>();
  private readonly log: Logger;
  private readonly basePort: number;
  private readonly deployDir: string;
  private readonly backoff: BackoffPolicy;
  private readonly childEnv: Record<string, string>;
  private readonly command: ServeModelCommand;
  private ports?: Promise<EndpointPorts>;
  /** Routers are bound one slot at a time, so two new slots never reach for the same free port. */
  private binding: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly onExit = () => {
    for (const pool of this.pools) pool.kill();
  };

  constructor(private readonly options: LocalDeployTargetOptions) {
    this.log = options.log ?? silentLogger;
    this.basePort = options.config?.basePort ?? 18700;
    this.deployDir = join(options.dataDir, 'deploy');
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.command = options.command ?? defaultServeModelCommand();
    // Allow-listed: no chat tokens, database URL or other secrets of opsbot reach a model server.
    this.childEnv = { ...childProcessEnv(options.env ?? process.env), OPSBOT_LOG_LEVEL: options.logLevel ?? 'info' };
    // REDIS_URL only for the shared prediction cache (it may carry a password, and the servers need it for nothing else).
    if (options.config?.sharedPredictionCache && options.redisUrl) this.childEnv.REDIS_URL = options.redisUrl;
    process.on('exit', this.onExit);
  }

  async rollOut(request: RolloutRequest, onProgress: (progress: RolloutProgress) => void, signal?: AbortSignal): Promise<ColourStatus> {
    this.assertOpen();
    const { colour, version } = request;
    const replicas = servingReplicas(request.scaling);
    const what = `${request.model} v${version} on ${colour} in ${request.env}`;
    if (signal?.aborted) throw new RolloutFailedError(`the rollout of ${what} was cancelled before it started; nothing changed`);
    const slot = await this.slotFor(request);
    if (slot.rollingOut.has(colour)) throw new ConflictError(`${request.model} in ${request.env} is already rolling out to ${colour}; wait for it to finish`);
    slot.rollingOut.add(colour);
    try {
      const modelDir = await this.modelDir(request.model, version);
      const deadline = Date.now() + (this.options.rolloutTimeoutMs ?? DEFAULT_ROLLOUT_TIMEOUT_MS);
      const progress = ({ ready, desired }: { ready: number; desired: number }) =>
        onProgress({ ready, desired, message: `${colour}: ${ready}/${desired} model servers of ${request.model} v${version} ready` });
      const wait = { crashLoopLimit: this.options.crashLoopLimit ?? 3, deadline, signal, onProgress: progress };
      const existing = slot.pools[colour];
      if (existing?.version === version) {
        // Already this version: only the number of servers changes; a failure puts that number back.
        const before = existing.desired;
        await existing.scaleTo(replicas);
        try {
          await existing.waitReady(wait);
        } catch (error) {
          await existing.scaleTo(before);
          throw this.rolloutFailed(slot, colour, version, error);
        }
      } else {
        const pool = this.newPool(slot, colour, version, modelDir);
        void pool.scaleTo(replicas);
        try {
          await pool.waitReady(wait);
        } catch (error) {
          await this.stopPool(pool);
          throw this.rolloutFailed(slot, colour, version, error);
        }
        // One assignment: the routers send this colour's next request to the new servers; the old ones drain.
        slot.pools[colour] = pool;
        if (existing) this.inBackground(this.stopPool(existing));
      }
      slot.lastRolledOut = colour;
      this.log.info({ deployTarget: 'local', model: request.model, env: request.env, colour, version, replicas, jobId: request.jobId }, `rolled out ${what}`);
      return slot.colourStatus(colour);
    } finally {
      slot.rollingOut.delete(colour);
    }
  }

  async switchLive(target: ServingSlot, colour: Colour): Promise<void> {
    this.assertOpen();
    const slot = this.existingSlot(target);
    const pool = slot.pools[colour];
    if (!pool) throw new ConflictError(`${slot.label}: ${colour} runs no version, so traffic cannot go to it; roll a version out to it first`);
    if (pool.readyCount === 0) throw new ConflictError(`${slot.label}: ${colour} (v${pool.version}) has no ready model server (0 of ${pool.desired}); traffic stays where it is`);
    const previous = slot.live;
    // The switch: the endpoint router reads `live` for each request it receives.
    slot.live = colour;
    this.log.info({ deployTarget: 'local', model: slot.model, env: slot.env, colour, version: pool.version, previous }, `${slot.label}: live colour is now ${colour} (v${pool.version})`);
  }

  async scale(target: ServingSlot, colour: Colour, scaling: Scaling): Promise<void> {
    this.assertOpen();
    const replicas = servingReplicas(scaling);
    const slot = this.existingSlot(target);
    const pool = slot.pools[colour];
    if (!pool) throw new ConflictError(`${slot.label}: ${colour} runs no version to scale; deploy one first`);
    if ('min' in scaling) this.log.info({ deployTarget: 'local', model: slot.model, env: slot.env, colour, scaling }, `the local target has no autoscaler: serving ${replicas} replicas for the range ${scaling.min}–${scaling.max}`);
    await pool.scaleTo(replicas);
  }

  async retire(target: ServingSlot, colour: Colour): Promise<void> {
    const slot = this.slots.get(slotKey(target));
    const pool = slot?.pools[colour];
    if (!slot || !pool) return;
    if (slot.live === colour) this.log.warn({ deployTarget: 'local', model: slot.model, env: slot.env, colour }, `${slot.label}: retiring the live colour; the endpoint answers 503 until another colour is live`);
    await pool.scaleTo(0);
    this.log.info({ deployTarget: 'local', model: slot.model, env: slot.env, colour, version: pool.version }, `${slot.label}: ${colour} (v${pool.version}) stopped`);
  }

  async status(target: ServingSlot): Promise<ServingStatus> {
    const slot = this.slots.get(slotKey(target));
    if (!slot) return { model: target.model, env: target.env, colours: { blue: { colour: 'blue', desiredReplicas: 0, readyReplicas: 0 }, green: { colour: 'green', desiredReplicas: 0, readyReplicas: 0 } } };
    return {
      model: slot.model,
      env: slot.env,
      ...(slot.live ? { live: slot.live } : {}),
      colours: { blue: slot.colourStatus('blue'), green: slot.colourStatus('green') },
      ...(slot.endpoint ? { endpoint: slot.endpoint.url } : {}),
      ...(slot.preview ? { previewEndpoint: slot.preview.url } : {}),
    };
  }

  async cacheHitRatio(target: ServingSlot, colour: Colour): Promise<number | undefined> {
    return cacheHitRatio(this.slots.get(slotKey(target))?.pools[colour]?.ready().map((replica) => replica.url) ?? []);
  }

  async predict(target: ServingSlot, colour: Colour, texts: readonly string[]): Promise<ColourPrediction[]> {
    this.assertOpen();
    const slot = this.existingSlot(target);
    const pool = slot.pools[colour];
    if (!pool) throw new ConflictError(`${slot.label}: ${colour} runs no version to ask`);
    const tried = new Set<string>();
    for (;;) {
      const upstream = pool.pick(tried);
      if (!upstream) throw new ServiceUnavailableError(`${slot.label}: ${colour} (v${pool.version}) has no ready model server to answer`);
      tried.add(upstream.name);
      let response: Response;
      try {
        response = await fetch(`${upstream.url}/v1/models/${encodeURIComponent(slot.model)}:predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ instances: texts }),
          signal: AbortSignal.timeout(PREDICT_TIMEOUT_MS),
        });
      } catch (error) {
        if ((error as Error).name === 'TimeoutError') throw new ServiceUnavailableError(`${slot.label}: ${upstream.name} (v${pool.version}) did not answer within ${PREDICT_TIMEOUT_MS / 1000} s`);
        upstream.unreachable();
        continue;
      }
      const body: unknown = await response.json().catch(() => undefined);
      if (response.status !== 200) {
        const reason = typeof (body as { error?: unknown })?.error === 'string' ? (body as { error: string }).error : `HTTP ${response.status}`;
        if (response.status >= 400 && response.status < 500) throw new InvalidInputError(`${slot.label}: ${colour} (v${pool.version}) refused the texts: ${reason}`);
        throw new ServiceUnavailableError(`${slot.label}: ${colour} (v${pool.version}) failed to answer: ${reason}`);
      }
      const parsed = v1PredictionsSchema.safeParse(body);
      if (!parsed.success || parsed.data.predictions.length !== texts.length) throw new ServiceUnavailableError(`${slot.label}: ${colour} (v${pool.version}) answered with something that is not ${texts.length} V1 predictions`);
      return parsed.data.predictions;
    }
  }

  async restore(serving: readonly RestoreRequest[]): Promise<void> {
    this.assertOpen();
    const outcomes = await Promise.allSettled(serving.map((request) => this.restoreSlot(request)));
    const failed = outcomes.flatMap((outcome, i) => (outcome.status === 'rejected' ? [{ request: serving[i] as RestoreRequest, error: outcome.reason as unknown }] : []));
    if (failed.length === 0) return;
    const lines = failed.map(({ request, error }) => `${request.model} in ${request.env}: ${error instanceof Error ? error.message : String(error)}`);
    throw new RolloutFailedError(`${failed.length} of ${serving.length} local deployments could not be brought back:\n${lines.join('\n')}`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const slots = [...this.slots.values()];
    await Promise.all([
      ...slots.flatMap((slot) => [slot.endpoint?.close(), slot.preview?.close()]),
      ...[...this.pools].map((pool) => this.stopPool(pool)),
      ...this.background,
    ]);
    process.off('exit', this.onExit);
  }

  private async restoreSlot(request: RestoreRequest): Promise<void> {
    const slot = await this.slotFor(request);
    // Live at once: until its servers are ready the endpoint answers 503 with why, rather than refusing connections.
    slot.live = request.live;
    const colours = (Object.entries(request.colours) as Array<[Colour, { version: number; scaling: Scaling }]>).filter(([, wanted]) => wanted !== undefined);
    const results = await Promise.allSettled(colours.map(([colour, { version, scaling }]) => this.rollOut({ model: request.model, env: request.env, colour, version, scaling }, () => {})));
    const failures = results.flatMap((result, i) => (result.status === 'rejected' ? [`${colours[i]?.[0]}: ${(result.reason as Error).message}`] : []));
    const summary = colours.map(([colour, { version }]) => `${colour} v${version}${colour === request.live ? ' (live)' : ''}`).join(', ');
    if (failures.length > 0) {
      this.log.error({ deployTarget: 'local', model: request.model, env: request.env, failures }, `${slot.label}: could not restore ${failures.length} colour(s)`);
      throw new Error(failures.join('; '));
    }
    this.log.info(
      { deployTarget: 'local', model: request.model, env: request.env, live: request.live, endpoint: slot.endpoint?.url, previewEndpoint: slot.preview?.url },
      `restored ${slot.label}: ${summary} on ${slot.endpoint?.url} (preview ${slot.preview?.url})`,
    );
  }

  private newPool(slot: LocalSlot, colour: Colour, version: number, modelDir: string): ServerPool {
    const pool = new ServerPool({
      colour,
      version,
      process: { command: this.command, model: slot.model, version, modelDir, env: this.childEnv, cwd: this.deployDir },
      fields: { deployTarget: 'local', model: slot.model, env: slot.env, version },
      backoff: this.backoff,
      log: this.log,
      stopGraceMs: (this.options.config?.stopGraceSeconds ?? DEFAULT_STOP_GRACE_S) * 1000,
    });
    this.pools.add(pool);
    return pool;
  }

  private async stopPool(pool: ServerPool): Promise<void> {
    await pool.stop();
    this.pools.delete(pool);
  }

  private inBackground(work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) => this.log.error({ deployTarget: 'local', err: error }, 'stopping replaced model servers failed'));
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }

  /** The version's directory under the data directory, from its registry entry. */
  private async modelDir(model: string, version: number): Promise<string> {
    const entry = await this.options.registry.getVersion(model, version);
    if (!entry) throw new RolloutFailedError(`${model} has no version ${version} in the registry; nothing was deployed (see \`status ${model}\`)`);
    if (entry.params.trainer === 'external') throw new RolloutFailedError(`${model} v${version} was made by its own external trainer, whose artifact opsbot's model server cannot run; nothing was deployed`);
    return join(this.options.dataDir, dirname(entry.artifactPath));
  }

  private rolloutFailed(slot: LocalSlot, colour: Colour, version: number, error: unknown): Error {
    if (!(error instanceof PoolNotReadyError)) return error as Error;
    const what = `${slot.model} v${version} on ${colour} in ${slot.env}`;
    const livePool = slot.live ? slot.pools[slot.live] : undefined;
    const unchanged =
      slot.live === colour
        ? `${colour}'s earlier servers keep serving.`
        : slot.live && livePool
          ? `Nothing changed for clients: ${slot.live} (v${livePool.version}) still serves.`
          : 'Nothing was serving here, and nothing is now.';
    const detail: PoolNotReady = error.detail;
    const tail = (lines?: string) => (lines ? `\nLast lines of its output:\n${lines}` : '');
    switch (detail.reason) {
      case 'crash-loop':
        return new RolloutFailedError(
          `${what} did not start: its model server stopped ${detail.failure.exitsBeforeReady} times before it was ready (the last time it ${detail.failure.lastExit ?? 'exited'}). ${unchanged}${tail(detail.failure.lastLines)}`,
          { cause: error },
        );
      case 'timeout':
        return new RolloutFailedError(
          `${what} was not ready after ${minutes(this.options.rolloutTimeoutMs ?? DEFAULT_ROLLOUT_TIMEOUT_MS)} (${detail.ready} of ${detail.desired} model servers ready). ${unchanged}${detail.failing ? `\n${detail.failing.replica} ${detail.failing.failure.lastExit}.${tail(detail.failing.failure.lastLines)}` : ''}`,
          { cause: error },
        );
      case 'aborted':
        return new RolloutFailedError(`the rollout of ${what} was cancelled (${detail.ready} of ${detail.desired} model servers were ready); its new servers are stopped. ${unchanged}`, { cause: error });
      case 'stopped':
        return new RolloutFailedError(`the rollout of ${what} stopped: opsbot is shutting down`, { cause: error });
    }
  }

  private existingSlot(target: ServingSlot): LocalSlot {
    const slot = this.slots.get(slotKey(target));
    if (!slot) throw new NotFoundError(`${target.model} has nothing deployed in ${target.env} on this machine`);
    return slot;
  }

  /** The slot, its routers listening on its stable ports (bound on first use). */
  private slotFor(target: ServingSlot): Promise<LocalSlot> {
    const key = slotKey(target);
    const ready = this.slots.get(key);
    if (ready?.endpoint && ready.preview) return Promise.resolve(ready);
    const bound = this.binding.then(() => this.bindSlot(target));
    this.binding = bound.catch(() => {});
    return bound;
  }

  private async bindSlot(target: ServingSlot): Promise<LocalSlot> {
    const key = slotKey(target);
    const known = this.slots.get(key);
    if (known?.endpoint && known.preview) return known;
    this.assertOpen();
    await mkdir(this.deployDir, { recursive: true });
    this.ports ??= EndpointPorts.open(join(this.deployDir, ENDPOINTS_FILE), this.log);
    const ports = await this.ports;
    const slot = new LocalSlot(target.model, target.env);
    const endpoint = new Router({ name: `${slot.label} endpoint`, route: () => slot.routeLive(), log: this.log });
    const preview = new Router({ name: `${slot.label} preview`, route: () => slot.routePreview(), log: this.log });
    const wanted = ports.get(slot);
    const taken = ports.taken(slot);
    const endpointPort = await this.listenStable(endpoint, wanted?.endpoint, taken, `${slot.label} endpoint`);
    taken.add(endpointPort);
    const previewPort = await this.listenStable(preview, wanted?.preview, taken, `${slot.label} preview`).catch(async (error: unknown) => {
      await endpoint.close();
      throw error;
    });
    if (wanted?.endpoint !== endpointPort || wanted.preview !== previewPort) await ports.assign(slot, { endpoint: endpointPort, preview: previewPort });
    slot.endpoint = endpoint;
    slot.preview = preview;
    this.slots.set(key, slot);
    this.log.info({ deployTarget: 'local', model: slot.model, env: slot.env, endpoint: endpoint.url, previewEndpoint: preview.url }, `${slot.label}: endpoint ${endpoint.url}, preview ${preview.url}`);
    return slot;
  }

  /** Listens on the slot's recorded port, else the first free one from basePort that no other slot holds. */
  private async listenStable(router: Router, wanted: number | undefined, taken: ReadonlySet<number>, what: string): Promise<number> {
    if (wanted !== undefined) {
      try {
        await router.listen(wanted);
        return wanted;
      } catch (error) {
        if (!isPortUnavailable(error)) throw error;
        this.log.warn({ deployTarget: 'local', port: wanted, err: error }, `${what}: its port ${wanted} is taken by another program; it moves to a new port (clients must be told)`);
      }
    }
    for (let port = this.basePort; port <= 65535; port++) {
      if (port === wanted || taken.has(port)) continue;
      try {
        await router.listen(port);
        return port;
      } catch (error) {
        if (!isPortUnavailable(error)) throw error;
      }
    }
    throw new ServiceUnavailableError(`${what}: no free loopback port from ${this.basePort} up; set deploy.local.basePort to a free range`);
  }

  private assertOpen(): void {
    if (this.closed) throw new ServiceUnavailableError('the local deploy target is shut down (opsbot is stopping)');
  }
}

const slotKey = (slot: ServingSlot) => JSON.stringify([slot.model, slot.env]);

function isPortUnavailable(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EADDRINUSE' || code === 'EACCES';
}

function minutes(ms: number): string {
  return ms >= 60_000 ? `${Math.round((ms / 60_000) * 10) / 10} min` : `${Math.round(ms / 1000)} s`;
}
