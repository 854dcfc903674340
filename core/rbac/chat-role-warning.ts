import { ACTION_NAMES } from '../actions/action.schema.js';
import type { OpsbotConfig } from '../config/config.schema.js';
import { rolesAllow } from './authorize.js';

const PLATFORMS = [
  { platform: 'slack', name: 'Slack', example: 'slack:T0123ABCD:U0456EFGH' },
  { platform: 'teams', name: 'Teams', example: 'teams:<tenant id>:<AAD object id>' },
] as const;

/**
 * Start-up warnings for a configured chat platform whose users no RBAC map names: all of them then
 * get `rbac.chatDefaultRoles`, and whoever runs opsbot should know it and how to grant roles.
 */
export function chatRoleWarnings(config: OpsbotConfig): string[] {
  const { rbac } = config;
  const roles = rbac.chatDefaultRoles;
  const allowed = ACTION_NAMES.filter((action) => rolesAllow(roles, action, rbac));
  const listed = allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} and ${allowed.at(-1)}` : allowed.join('');
  const may = allowed.length === ACTION_NAMES.length ? 'may run every command' : allowed.length > 0 ? `may run only ${listed}` : 'may run nothing';
  return PLATFORMS.filter(({ platform }) => config[platform] && !Object.keys(rbac.users).some((key) => key.startsWith(`${platform}:`))).map(
    ({ name, example }) =>
      `${name} is configured but no RBAC map names a ${name} user (rbac.users), so every ${name} user has the default chat role${roles.length === 1 ? '' : 's'} ` +
      `${roles.join(', ') || '(none)'} and ${may}. Grant roles in opsbot.config.json, e.g. {"rbac": {"users": {"${example}": ["deployer"]}}} ` +
      `(a refused command tells the user their id), or change rbac.chatDefaultRoles.`,
  );
}
