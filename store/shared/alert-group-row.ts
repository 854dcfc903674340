import type { AlertGroup, AlertGroupPatch, NewAlertGroup } from '../../core/index.js';

/** The stored document: the whole group as JSON (SQLite text, Postgres json, which pg parses). */
export function toAlertGroup(state: unknown): AlertGroup {
  return (typeof state === 'string' ? JSON.parse(state) : state) as AlertGroup;
}

export function newAlertGroupState(group: NewAlertGroup, at: string): AlertGroup {
  return dropUndefined({ ...group, revision: 1, createdAt: at, updatedAt: at });
}

/** The group after a patch; a key patched to undefined is removed (an expired silence). */
export function patchedAlertGroup(group: AlertGroup, patch: AlertGroupPatch, at: string): AlertGroup {
  return dropUndefined({ ...group, ...patch, id: group.id, groupKey: group.groupKey, revision: group.revision + 1, createdAt: group.createdAt, updatedAt: at });
}

function dropUndefined(group: AlertGroup): AlertGroup {
  return Object.fromEntries(Object.entries(group).filter(([, value]) => value !== undefined)) as unknown as AlertGroup;
}
