import type { Action, ActionName } from '../actions/action.schema.js';
import type { OpsbotConfig } from '../config/config.schema.js';
import { PermissionDeniedError } from '../errors.js';
import { identityKey, type Identity } from '../identity.js';

type Rbac = OpsbotConfig['rbac'];

/**
 * The roles of a user: those mapped to their identity key, else the default roles of their platform —
 * the local user's (the person at this machine) or a chat platform's (anyone in the workspace).
 */
export function rolesOf(identity: Identity, rbac: Rbac): string[] {
  const key = identityKey(identity);
  const mapped = rbac.users[key] ?? rbac.users[`${identity.platform}:${identity.userId}`];
  return mapped ?? (identity.platform === 'local' ? rbac.defaultRoles : rbac.chatDefaultRoles);
}

/** Whether one of these roles allows this action somewhere (in at least one environment, for those that take one). */
export function rolesAllow(roles: readonly string[], action: ActionName, rbac: Rbac, env?: string): boolean {
  return roles.some((roleName) => {
    const role = rbac.roles[roleName];
    if (!role) return false;
    const actionAllowed = role.actions.includes('*') || role.actions.includes(action);
    const envAllowed = env === undefined || role.environments === undefined || role.environments.includes(env);
    return actionAllowed && envAllowed;
  });
}

function actionEnvironment(action: Action): string | undefined {
  return 'env' in action.args ? action.args.env : undefined;
}

/** Throws PermissionDeniedError unless one of the user's roles allows this action (in this environment). */
export function authorize(identity: Identity, action: Action, rbac: Rbac): void {
  const roles = rolesOf(identity, rbac);
  const env = actionEnvironment(action);
  if (rolesAllow(roles, action.action, rbac, env)) return;
  const where = env ? ` in ${env}` : '';
  const roleText = roles.length > 0 ? `your roles (${roles.join(', ')}) do not allow it` : 'you have no opsbot role';
  throw new PermissionDeniedError(
    `You are not allowed to ${action.action}${where}: ${roleText}. Ask an opsbot admin to grant you a role that does (your id is ${identityKey(identity)}).`,
  );
}
