import type { Logger } from '../../core/logger.port.js';
import { describeExit, ModelServerProcess, type ModelServerProcessSpec } from './model-server-process.js';
import { RestartBackoff, type BackoffPolicy } from './restart-backoff.js';

/** How often /healthz is asked: quickly while a server comes up, calmly once it serves. */
const POLL_STARTING_MS = 100;
const POLL_READY_MS = 1000;
const HEALTH_TIMEOUT_MS = 2000;
/** Failed health checks in a row that take a ready server out of rotation (one slow answer under load does not). */
const UNHEALTHY_AFTER = 2;

export interface ReplicaOptions {
  /** How the replica names itself in logs and the router's x-opsbot-replica header, e.g. `blue-2`. */
  name: string;
  process: Omit<ModelServerProcessSpec, 'fields'>;
  fields: Record<string, unknown>;
  backoff: BackoffPolicy;
  log: Logger;
  /** Called whenever readiness or the process changes, for waiters and progress. */
  onChange: () => void;
}

/** Why a replica is not serving, for a rollout's failure message. */
export interface ReplicaFailure {
  /** Exits since the replica was last ready (or since it started, if it never was). */
  exitsBeforeReady: number;
  lastExit?: string;
  lastLines?: string;
}

/**
 * One supervised model server: keeps a `serve-model` process running, restarting it with
 * exponential backoff when it dies, and knows whether it can take requests now (its /healthz
 * answered 200). The router sends requests only to ready replicas.
 */
export class Replica {
  readonly name: string;
  /** The process's URL while it listens. */
  url?: string;
  private current?: ModelServerProcess;
  private healthy = false;
  private failedChecks = 0;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private resetTimer?: NodeJS.Timeout;
  private readonly backoff: RestartBackoff;
  private failure: ReplicaFailure = { exitsBeforeReady: 0 };

  constructor(private readonly options: ReplicaOptions) {
    this.name = options.name;
    this.backoff = new RestartBackoff(options.backoff);
  }

  get ready(): boolean {
    return this.healthy && !this.stopped;
  }

  get pid(): number | undefined {
    return this.current?.exit ? undefined : this.current?.pid;
  }

  get lastFailure(): ReplicaFailure {
    return { ...this.failure };
  }

  start(): void {
    if (this.stopped || (this.current && !this.current.exit)) return;
    const { process: spec, fields, log } = this.options;
    const child = new ModelServerProcess({ ...spec, fields: { ...fields, replica: this.name } });
    this.current = child;
    log.info({ ...fields, replica: this.name, pid: child.pid, version: spec.version }, 'model server starting');
    child.url.then(
      (url) => {
        if (this.current !== child) return;
        this.url = url;
        this.poll(child, POLL_STARTING_MS);
      },
      () => {},
    );
    void child.exited.then((exit) => this.exited(child, describeExit(exit)));
    this.options.onChange();
  }

  /**
   * Passive health check: the router could not connect to this replica. It leaves rotation at once
   * (the next /healthz answer brings it back) instead of failing more requests until the next poll.
   */
  unreachable(): void {
    if (!this.healthy) return;
    this.healthy = false;
    this.failedChecks = 0;
    this.options.onChange();
  }

  /** Stops for good: no restart; SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    this.healthy = false;
    clearTimeout(this.timer);
    clearTimeout(this.resetTimer);
    await this.current?.stop(graceMs);
  }

  /** opsbot itself is exiting: kill the process now, synchronously. */
  kill(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.resetTimer);
    this.current?.kill();
  }

  private exited(child: ModelServerProcess, how: string): void {
    if (this.current !== child) return;
    const wasHealthy = this.healthy;
    this.healthy = false;
    this.url = undefined;
    clearTimeout(this.timer);
    clearTimeout(this.resetTimer);
    const lastLines = child.lastLines();
    this.failure = { exitsBeforeReady: this.failure.exitsBeforeReady + 1, lastExit: how, lastLines };
    if (!this.stopped) {
      const delay = this.backoff.next();
      const { log, fields } = this.options;
      log.warn({ ...fields, replica: this.name, pid: child.pid, wasReady: wasHealthy, restartInMs: delay, lastLines }, `model server ${how}; restarting it in ${delay} ms`);
      this.timer = setTimeout(() => this.start(), delay);
    }
    this.options.onChange();
  }

  private poll(child: ModelServerProcess, delay: number): void {
    this.timer = setTimeout(() => void this.check(child), delay);
  }

  private async check(child: ModelServerProcess): Promise<void> {
    if (this.stopped || this.current !== child || child.exit || !this.url) return;
    const ok = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) }).then(
      async (response) => {
        await response.body?.cancel();
        return response.status === 200;
      },
      () => false,
    );
    if (this.stopped || this.current !== child || child.exit) return;
    if (ok) {
      this.failedChecks = 0;
      if (!this.healthy) this.becameReady();
    } else if (this.healthy && ++this.failedChecks >= UNHEALTHY_AFTER) {
      this.healthy = false;
      this.options.log.warn({ ...this.options.fields, replica: this.name, pid: child.pid }, 'model server stopped answering /healthz; out of rotation until it does');
      this.options.onChange();
    }
    this.poll(child, this.healthy ? POLL_READY_MS : POLL_STARTING_MS);
  }

  private becameReady(): void {
    this.healthy = true;
    this.failure = { exitsBeforeReady: 0 };
    // Only a stretch of health forgives earlier crashes: a server that dies right after turning ready keeps backing off.
    clearTimeout(this.resetTimer);
    this.resetTimer = setTimeout(() => this.backoff.reset(), this.options.backoff.resetAfterMs);
    this.resetTimer.unref();
    this.options.log.info({ ...this.options.fields, replica: this.name, pid: this.pid, url: this.url }, 'model server ready');
    this.options.onChange();
  }
}
