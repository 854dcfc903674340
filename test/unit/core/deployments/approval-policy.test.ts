import { approvalPolicyFor, approvalRefusal, defaultConfig, type Identity } from '../../../../core/index.js';

const requester: Identity = { platform: 'slack', workspace: 'T1', userId: 'U1', displayName: 'rita' };
const lead: Identity = { platform: 'slack', workspace: 'T1', userId: 'U2', displayName: 'lea' };
const viewer: Identity = { platform: 'slack', workspace: 'T1', userId: 'U3', displayName: 'vic' };
const stagingOnly: Identity = { platform: 'slack', workspace: 'T1', userId: 'U4', displayName: 'sam' };

describe('approval policy', () => {
  const config = defaultConfig();
  config.rbac.roles['staging-deployer'] = { actions: ['deploy'], environments: ['staging'] };
  config.rbac.users = { 'slack:T1:U1': ['deployer'], 'slack:T1:U2': ['deployer'], 'slack:T1:U4': ['staging-deployer'] };
  const prod = config.environments.find((e) => e.name === 'prod')!;
  const staging = config.environments.find((e) => e.name === 'staging')!;

  it('asks two approvals for a protected environment and none elsewhere, by default', () => {
    expect(approvalPolicyFor(prod)).toMatchObject({ required: 2, allowSelfApproval: false, expiryMinutes: 60 });
    expect(approvalPolicyFor(staging).required).toBe(0);
    expect(approvalPolicyFor({ ...staging, approval: { required: 1, roles: ['admin'], users: [], allowSelfApproval: true, expiryMinutes: 5 } }).required).toBe(1);
  });

  it('refuses the requester, people without an approving role, and roles limited to other environments', () => {
    const policy = approvalPolicyFor(prod);
    const request = { env: 'prod', requestedBy: requester };
    expect(approvalRefusal(requester, request, policy, config.rbac)).toMatch(/you asked for this deployment/);
    expect(approvalRefusal(lead, request, policy, config.rbac)).toBeUndefined();
    expect(approvalRefusal(viewer, request, policy, config.rbac)).toMatch(/only people with the deployer or admin role may approve promotions into prod \(your roles: viewer\)/);
    expect(approvalRefusal(stagingOnly, request, { ...policy, roles: ['staging-deployer'] }, config.rbac)).toMatch(/only people with the staging-deployer role/);
  });

  it('lets people named in the policy approve whatever their roles', () => {
    const policy = { ...approvalPolicyFor(prod), users: ['slack:T1:U3'] };
    expect(approvalRefusal(viewer, { env: 'prod', requestedBy: requester }, policy, config.rbac)).toBeUndefined();
  });
});
