import type { ApprovalPolicy, EnvironmentConfig, OpsbotConfig } from '../config/config.schema.js';
import { identityKey, type Identity } from '../identity.js';
import { rolesOf } from '../rbac/authorize.js';

/** Two approvers for a protected environment (production), none elsewhere, unless the environment says otherwise. */
export function approvalPolicyFor(env: EnvironmentConfig): ApprovalPolicy {
  return env.approval ?? { required: env.protected ? 2 : 0, roles: ['deployer', 'admin'], users: [], allowSelfApproval: false, expiryMinutes: 60 };
}

/**
 * Why this person may not vote on a promotion into `env`, or undefined when they may.
 * A role counts only where it acts: one limited to other environments does not approve here.
 */
export function approvalRefusal(
  voter: Identity,
  request: { env: string; requestedBy: Identity },
  policy: ApprovalPolicy,
  rbac: OpsbotConfig['rbac'],
): string | undefined {
  const key = identityKey(voter);
  if (!policy.allowSelfApproval && key === identityKey(request.requestedBy)) {
    return `you asked for this deployment, so you cannot approve or reject it yourself: ${policy.required === 1 ? 'someone else must' : 'other approvers must'} decide`;
  }
  if (policy.users.includes(key)) return undefined;
  const roles = rolesOf(voter, rbac);
  const counts = roles.some((name) => {
    const role = rbac.roles[name];
    return policy.roles.includes(name) && role !== undefined && (role.environments === undefined || role.environments.includes(request.env));
  });
  if (counts) return undefined;
  const who = policy.roles.length > 0 ? `people with the ${policy.roles.join(' or ')} role` : 'the people listed for it';
  return `only ${who} may approve promotions into ${request.env}${roles.length > 0 ? ` (your roles: ${roles.join(', ')})` : ''}`;
}
