import { authorize, defaultConfig, PermissionDeniedError, rolesOf, type Action, type Identity } from '../../../core/index.js';

const user = (userId: string, platform: Identity['platform'] = 'local', workspace = ''): Identity => ({ platform, workspace, userId, displayName: userId });
const deployTo = (env: string): Action => ({ action: 'deploy', args: { model: 'sentiment', version: '2', env } });

describe('authorize', () => {
  const rbac = defaultConfig().rbac;
  rbac.defaultRoles = ['viewer'];
  rbac.roles['staging-deployer'] = { actions: ['deploy', 'scale'], environments: ['dev', 'staging'] };
  rbac.users = { 'local:alice': ['admin'], 'local:bob': ['staging-deployer'], 'slack:T1:U2': ['deployer'] };

  it('allows everyone everything with the default role map (allow-all until configured)', () => {
    expect(() => authorize(user('anyone'), deployTo('prod'), defaultConfig().rbac)).not.toThrow();
  });

  it('uses the roles mapped to the identity key, else the default roles', () => {
    expect(rolesOf(user('alice'), rbac)).toEqual(['admin']);
    expect(rolesOf(user('U2', 'slack', 'T1'), rbac)).toEqual(['deployer']);
    expect(rolesOf(user('U2', 'slack', 'T9'), rbac)).toEqual(['viewer']);
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
