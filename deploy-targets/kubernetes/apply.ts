import type { KubernetesObject } from '@kubernetes/client-node';
import { ConflictError, silentLogger, type Logger } from '../../core/index.js';
import type { NamespacedResource } from './kube-api.js';
import { kubernetesApiError, statusCodeOf } from './kubernetes-api-error.js';

export interface ApplyOptions<T> {
  /**
   * The merge patch that turns `current` into `desired`; by default the whole desired object. Either way it carries
   * the resourceVersion that was read, so a write by someone else in between is a 409 Conflict, not silently merged.
   */
  patchFor?: (current: T, desired: T) => object;
  /** Tries after a conflict before giving up. @defaultValue 5 */
  attempts?: number;
  log?: Logger;
}

export interface Applied<T> {
  object: T;
  action: 'created' | 'patched';
}

/**
 * Create-or-patch, idempotently: GET; POST when it is missing (404); else a merge PATCH of what opsbot owns, made
 * conditional on the resourceVersion read. A 409 (someone else wrote it, or created it first) re-reads and tries again.
 */
export async function createOrPatch<T extends KubernetesObject>(resource: NamespacedResource<T>, desired: T, options: ApplyOptions<T> = {}): Promise<Applied<T>> {
  const namespace = desired.metadata?.namespace as string;
  const name = desired.metadata?.name as string;
  const attempts = options.attempts ?? 5;
  const log = options.log ?? silentLogger;
  for (let attempt = 1; ; attempt++) {
    const current = await resource.read(namespace, name);
    const verb = current ? 'patch' : 'create';
    try {
      if (!current) return { object: await resource.create(namespace, desired), action: 'created' };
      const patch = options.patchFor ? options.patchFor(current, desired) : desired;
      const conditional = { ...patch, metadata: { ...(patch as { metadata?: object }).metadata, resourceVersion: current.metadata?.resourceVersion } };
      return { object: await resource.patch(namespace, name, conditional), action: 'patched' };
    } catch (error) {
      if (statusCodeOf(error) !== 409) throw kubernetesApiError(error, `${verb} ${resource.kind} ${name} in namespace ${namespace}`);
      if (attempt >= attempts) {
        throw new ConflictError(`${resource.kind} ${name} in namespace ${namespace} kept changing under opsbot (${attempts} conflicting writes in a row); try again, and check nothing else rewrites it in a loop`);
      }
      log.info({ kind: resource.kind, name, namespace, attempt }, 'write conflict; reading the object again');
    }
  }
}

/**
 * Keys opsbot owns that a merge patch of the desired object would leave behind when they are no longer wanted
 * (a map key or an optional field that disappeared): each becomes an explicit null, which a merge patch removes.
 */
export function nullsForRemoved(current: unknown, desired: unknown, keys: readonly string[]): Record<string, unknown> {
  const removed: Record<string, unknown> = {};
  const have = (current ?? {}) as Record<string, unknown>;
  const want = (desired ?? {}) as Record<string, unknown>;
  for (const key of keys) if (have[key] !== undefined && want[key] === undefined) removed[key] = null;
  return removed;
}

/** The keys of a string map present before and gone now, as nulls (a node selector that lost a key). */
export function removedMapKeys(current: Record<string, string> | undefined, desired: Record<string, string> | undefined): Record<string, null> {
  const removed: Record<string, null> = {};
  for (const key of Object.keys(current ?? {})) if (!(key in (desired ?? {}))) removed[key] = null;
  return removed;
}
