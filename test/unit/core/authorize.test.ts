import { authorize, defaultConfig, PermissionDeniedError, rolesOf, type Action, type Identity } from '../../../core/index.js';

const user = (userId: string, platform: Identity['platform'] = 'local', workspace = ''): Identity => ({ platform, workspace, userId, displayName: userId });
const deployTo = (env: string): Action => ({ action: 'deploy', args: { model: 'sentiment', version: '2', env } });

describe('authorize', () => {
  const rbac = defaultConfig().rbac;
  rbac.defaultRoles = ['viewer'];
  rbac.roles['staging-deployer'] = { actions: ['deploy', 'scale'], environments: ['dev', 'staging'] };
  rbac.users = { 'local:alice': ['admin'], 'local:bob': ['staging-deployer'], 'slack:T1:U2': ['deployer'] };

  it('by default lets the local user do everything, and a Slack or Teams user only read', () => {
    const defaults = defaultConfig().rbac;
    expect(() => authorize(user('anyone'), deployTo('prod'), defaults)).not.toThrow();
    expect(rolesOf(user('U9', 'slack', 'T1'), defaults)).toEqual(['viewer']);
    expect(rolesOf(user('aad-1', 'teams', 'tenant-1'), defaults)).toEqual(['viewer']);
    expect(() => authorize(user('U9', 'slack', 'T1'), { action: 'train', args: { model: 'sentiment' } }, defaults)).toThrow(PermissionDeniedError);
    expect(() => authorize(user('aad-1', 'teams', 'tenant-1'), deployTo('dev'), defaults)).toThrow(PermissionDeniedError);
    expect(() => authorize(user('U9', 'slack', 'T1'), { action: 'status', args: {} }, defaults)).not.toThrow();
  });

  it('gives chat users rbac.chatDefaultRoles when the config sets it', () => {
    const rbacWithTrainers = { ...defaultConfig().rbac, chatDefaultRoles: ['trainer'] };
    expect(() => authorize(user('U9', 'slack', 'T1'), { action: 'train', args: { model: 'sentiment' } }, rbacWithTrainers)).not.toThrow();
    expect(() => authorize(user('U9', 'slack', 'T1'), deployTo('dev'), rbacWithTrainers)).toThrow(PermissionDeniedError);
  });

  it('uses the roles mapped to the identity key, else the default roles', () => {
    expect(rolesOf(user('alice'), rbac)).toEqual(['admin']);
    expect(rolesOf(user('U2', 'slack', 'T1'), rbac)).toEqual(['deployer']);
    expect(rolesOf(user('U2', 'slack', 'T9'), rbac)).toEqual(['viewer']);
    expect(rolesOf(user('dave'), rbac)).toEqual(['viewer']);
  });

  it('limits a role to its environments', () => {
    expect(() => authorize(user('bob'), deployTo('staging'), rbac)).not.toThrow();
    expect(() => authorize(user('bob'), deployTo('prod'), rbac)).toThrow(PermissionDeniedError);
  });

  it('explains a denial with the roles and the id to grant', () => {
    expect(() => authorize(user('carol'), { action: 'train', args: { model: 'sentiment' } }, rbac)).toThrow(
      'You are not allowed to train: your roles (viewer) do not allow it. Ask an opsbot admin to grant you a role that does (your id is local:carol).',
    );
  });
});
