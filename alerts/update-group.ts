import type { AlertGroup, AlertGroupPatch, AlertGroupStore } from '../core/index.js';
import { ConflictError } from '../core/index.js';

/**
 * Decides a change against the group as stored and writes it with compare-and-set, deciding again
 * against a fresh read when someone else wrote first: concurrent clicks and webhooks end in one state.
 * `decide` returns no patch to leave the group as it is (already acknowledged, say).
 */
export async function updateGroup<T>(
  store: AlertGroupStore,
  id: string,
  decide: (group: AlertGroup) => Promise<{ patch?: AlertGroupPatch; result: T }> | { patch?: AlertGroupPatch; result: T },
): Promise<{ group: AlertGroup; result: T; changed: boolean } | undefined> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const group = await store.get(id);
    if (!group) return undefined;
    const { patch, result } = await decide(group);
    if (!patch) return { group, result, changed: false };
    const updated = await store.update(id, group.revision, patch);
    if (updated) return { group: updated, result, changed: true };
  }
  throw new ConflictError(`alert ${id} kept changing while opsbot updated it; try again`);
}
