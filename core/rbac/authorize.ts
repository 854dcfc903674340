import type { Action } from '../actions/action.schema.js';
import type { OpsbotConfig } from '../config/config.schema.js';
import { PermissionDeniedError } from '../errors.js';
import { identityKey, type Identity } from '../identity.js';

/** The roles of a user: those mapped to their identity key, else the default roles. */
export function rolesOf(identity: Identity, rbac: OpsbotConfig['rbac']): string[] {
  const key = identityKey(identity);
  const mapped = rbac.users[key] ?? rbac.users[`${identity.platform}:${identity.userId}`];
  return mapped ?? rbac.defaultRoles;
}

function actionEnvironment(action: Action): string | undefined {
  return 'env' in action.args ? action.args.env : undefined;
}

/** Throws PermissionDeniedError unless one of the user's roles allows this action (in this environment). */
export function authorize(identity: Identity, action: Action, rbac: OpsbotConfig['rbac']): void {
  const roles = rolesOf(identity, rbac);
  const env = actionEnvironment(action);
  const allowed = roles.some((roleName) => {
    const role = rbac.roles[roleName];
    if (!role) return false;
    const actionAllowed = role.actions.includes('*') || role.actions.includes(action.action);
    const envAllowed = env === undefined || role.environments === undefined || role.environments.includes(env);
    return actionAllowed && envAllowed;
  });
  if (allowed) return;
  const where = env ? ` in ${env}` : '';
  const roleText = roles.length > 0 ? `your roles (${roles.join(', ')}) do not allow it` : 'you have no opsbot role';
  throw new PermissionDeniedError(
    `You are not allowed to ${action.action}${where}: ${roleText}. Ask an opsbot admin to grant you a role that does (your id is ${identityKey(identity)}).`,
  );
}
