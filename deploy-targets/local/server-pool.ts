import type { Colour } from '../../core/deployments/deploy-target.port.js';
import type { Logger } from '../../core/logger.port.js';
import type { ModelServerProcessSpec } from './model-server-process.js';
import { Replica, type ReplicaFailure } from './replica.js';
import type { BackoffPolicy } from './restart-backoff.js';
import type { Upstream, UpstreamSet } from './router.js';

export interface ServerPoolOptions {
  colour: Colour;
  version: number;
  /** Everything of the child but its log fields (the pool adds slot, colour, replica). */
  process: Omit<ModelServerProcessSpec, 'fields' | 'log'>;
  fields: Record<string, unknown>;
  backoff: BackoffPolicy;
  log: Logger;
  /** SIGTERM-to-SIGKILL grace of a stopped replica. */
  stopGraceMs: number;
}

/** What waitReady reports while it waits. */
export interface PoolProgress {
  ready: number;
  desired: number;
}

/** Why waitReady gave up. */
export type PoolNotReady =
  | { reason: 'crash-loop'; replica: string; failure: ReplicaFailure }
  | { reason: 'timeout' | 'aborted' | 'stopped'; ready: number; desired: number; failing?: { replica: string; failure: ReplicaFailure } };

export class PoolNotReadyError extends Error {
  constructor(readonly detail: PoolNotReady) {
    super(`server pool not ready: ${detail.reason}`);
  }
}

/**
 * The model servers of one colour of one slot, all running one version: as many replicas as
 * wanted, each supervised (restarted with backoff). The router takes them round-robin, only
 * ready ones, and a replica being removed leaves the rotation before it is stopped.
 */
export class ServerPool implements UpstreamSet {
  readonly colour: Colour;
  readonly version: number;
  private replicas: Replica[] = [];
  private nextName = 1;
  private cursor = 0;
  private readonly waiters = new Set<() => void>();
  private readonly stopping = new Set<Promise<void>>();
  /** Replicas taken out and still draining: killed too if opsbot exits meanwhile. */
  private readonly leaving = new Set<Replica>();
  private closed = false;

  constructor(private readonly options: ServerPoolOptions) {
    this.colour = options.colour;
    this.version = options.version;
  }

  get desired(): number {
    return this.replicas.length;
  }

  get readyCount(): number {
    return this.replicas.filter((r) => r.ready).length;
  }

  /** Pids of the processes running now, for the opsbot-exit handler and tests. */
  pids(): number[] {
    return this.replicas.flatMap((r) => (r.pid === undefined ? [] : [r.pid]));
  }

  /**
   * Starts replicas up to `count` at once, or takes the newest out of rotation and stops them
   * (resolving when they are gone: their requests in flight are answered first).
   */
  async scaleTo(count: number): Promise<void> {
    if (this.closed) return;
    while (this.replicas.length < count) {
      const replica = this.newReplica();
      this.replicas.push(replica);
      replica.start();
    }
    const removed = this.replicas.splice(count);
    this.changed();
    await Promise.all(removed.map((replica) => this.retire(replica)));
  }

  ready(): Upstream[] {
    return this.replicas.flatMap((replica) => (replica.ready && replica.url ? [this.upstream(replica)] : []));
  }

  /** The next ready replica in turn, skipping those already tried for this request. */
  pick(exclude: ReadonlySet<string> = new Set()): Upstream | undefined {
    const ready = this.replicas.filter((r) => r.ready && r.url && !exclude.has(r.name));
    if (ready.length === 0) return undefined;
    return this.upstream(ready[this.cursor++ % ready.length] as Replica);
  }

  private upstream(replica: Replica): Upstream {
    return { name: replica.name, url: replica.url as string, pid: replica.pid, unreachable: () => replica.unreachable() };
  }

  /**
   * Resolves once `desired` replicas are ready at the same time. Rejects with PoolNotReadyError
   * when a replica exited `crashLoopLimit` times without ever turning ready, at `deadline`, or on `signal`.
   */
  waitReady(options: { crashLoopLimit: number; deadline: number; signal?: AbortSignal; onProgress?: (progress: PoolProgress) => void }): Promise<void> {
    const { crashLoopLimit, deadline, signal, onProgress } = options;
    return new Promise<void>((resolve, reject) => {
      let last = -1;
      const finish = (error?: PoolNotReady) => {
        this.waiters.delete(check);
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        if (error) reject(new PoolNotReadyError(error));
        else resolve();
      };
      const failing = () => {
        const replica = this.replicas.find((r) => r.lastFailure.exitsBeforeReady > 0);
        return replica && { replica: replica.name, failure: replica.lastFailure };
      };
      const state = (reason: 'timeout' | 'aborted' | 'stopped'): PoolNotReady => ({ reason, ready: this.readyCount, desired: this.desired, ...(failing() ? { failing: failing() } : {}) });
      const check = () => {
        if (this.closed) return finish(state('stopped'));
        const ready = this.readyCount;
        if (ready !== last) {
          last = ready;
          onProgress?.({ ready, desired: this.desired });
        }
        if (ready >= this.desired) return finish();
        const looping = this.replicas.find((r) => r.lastFailure.exitsBeforeReady >= crashLoopLimit);
        if (looping) finish({ reason: 'crash-loop', replica: looping.name, failure: looping.lastFailure });
      };
      const aborted = () => finish(state('aborted'));
      const timer = setTimeout(() => finish(state('timeout')), Math.max(0, deadline - Date.now()));
      if (signal?.aborted) return aborted();
      signal?.addEventListener('abort', aborted, { once: true });
      this.waiters.add(check);
      check();
    });
  }

  /** Stops every replica (SIGTERM, drain, SIGKILL after the grace) and anything still stopping from a scale-down. */
  async stop(): Promise<void> {
    this.closed = true;
    const all = this.replicas.splice(0);
    this.changed();
    await Promise.all([...all.map((replica) => this.retire(replica)), ...this.stopping]);
  }

  /** Synchronous SIGKILL of everything: opsbot is exiting. */
  kill(): void {
    this.closed = true;
    for (const replica of [...this.replicas, ...this.leaving]) replica.kill();
  }

  private newReplica(): Replica {
    const name = `${this.colour}-${this.nextName++}`;
    const { process, fields, backoff, log } = this.options;
    return new Replica({ name, process: { ...process, log }, fields: { ...fields, colour: this.colour }, backoff, log, onChange: () => this.changed() });
  }

  private changed(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private retire(replica: Replica): Promise<void> {
    this.leaving.add(replica);
    const stopping = replica.stop(this.options.stopGraceMs).finally(() => {
      this.leaving.delete(replica);
      this.stopping.delete(stopping);
    });
    this.stopping.add(stopping);
    return stopping;
  }
}
