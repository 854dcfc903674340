import type { OpsbotConfig } from '../config/config.schema.js';
import { approvalPolicyFor, approvalRefusal } from '../deployments/approval-policy.js';
import type { BlueGreenDeployer } from '../deployments/blue-green-deployer.js';
import type { Identity } from '../identity.js';
import type { Message } from '../messages/message.js';
import type { BlueGreenDeployment } from '../store/blue-green-store.port.js';
import type { AuditOutcome } from '../audit/audit-record.js';

export interface ApprovalAnswer {
  outcome: AuditOutcome;
  reply: Message;
  /** Shown only to the person who clicked (Slack ephemeral, Teams invoke response) where the platform can. */
  private: boolean;
  detail: string;
}

const message = (text: string, tone: Message['tone']): Message => ({ text, tone, blocks: [{ type: 'text', text }] });

function decided(d: BlueGreenDeployment): string {
  const by = d.decidedBy ? ` by ${d.decidedBy}` : '';
  switch (d.phase) {
    case 'live':
    case 'superseded':
    case 'rolled_back':
      return `it was already promoted${by}`;
    case 'rejected':
      return `it was already rejected${by}`;
    case 'expired':
      return 'it expired before enough people approved; deploy again to ask anew';
    case 'failed':
      return `it failed${d.reason ? `: ${d.reason}` : ''}`;
    default:
      return `it is ${d.phase.replace('_', ' ')}${d.reason ? ` (${d.reason})` : ''}`;
  }
}

/**
 * A Promote or Reject click (or the typed `approve d-…` / `reject d-…`): checked against
 * the environment's approval policy, counted once per person, and the promotion made when
 * it was the last approval needed. Refusals are private to the clicker.
 */
export async function answerApproval(
  verb: 'approve' | 'reject',
  id: string,
  voter: Identity,
  deps: { deployer?: BlueGreenDeployer; config: Pick<OpsbotConfig, 'rbac' | 'environments'> },
): Promise<ApprovalAnswer> {
  const refuse = (text: string, outcome: AuditOutcome): ApprovalAnswer => ({ outcome, reply: message(text, 'error'), private: true, detail: text });
  if (!deps.deployer) return refuse('Deployments are not run by this opsbot process, so it cannot take approvals.', 'invalid');
  const deployment = await deps.deployer.find(id);
  if (!deployment) return refuse(`There is no deployment ${id}; see \`status <model>\` for the ones waiting for approval.`, 'invalid');
  const what = `${deployment.model} v${deployment.version} to ${deployment.env}`;
  if (deployment.phase !== 'awaiting_approval') return refuse(`The promotion of ${what} is not waiting for approval: ${decided(deployment)}.`, 'invalid');
  const env = deps.config.environments.find((e) => e.name === deployment.env);
  if (!env) return refuse(`${deployment.env} is no longer a configured environment, so ${what} cannot be promoted.`, 'invalid');
  const refusal = approvalRefusal(voter, deployment, approvalPolicyFor(env), deps.config.rbac);
  if (refusal) return refuse(`You cannot ${verb} the promotion of ${what}: ${refusal}.`, 'denied');

  const { deployment: after, counted } = await deps.deployer.decide(deployment.id, voter, verb);
  const approvals = after.votes.filter((v) => v.decision === 'approve').length;
  if (!counted && after.phase !== 'awaiting_approval') return refuse(`The promotion of ${what} is not waiting for approval: ${decided(after)}.`, 'invalid');
  if (!counted) {
    const text = `Your ${verb === 'approve' ? 'approval' : 'rejection'} of ${what} was already counted (${approvals} of ${after.approvalsRequired} approvals).`;
    return { outcome: 'completed', reply: message(text, 'info'), private: true, detail: `repeated ${verb} of ${id}` };
  }
  let text: string;
  if (after.phase === 'live') text = `Promoted: ${what} now serves (${after.colour} colour), approved by ${after.decidedBy}.`;
  else if (after.phase === 'rejected') text = `${voter.displayName} rejected the promotion of ${what}; the ${after.colour} colour was stopped and the live version keeps serving.`;
  else if (after.phase === 'awaiting_approval') text = `${voter.displayName} approved ${what} (${approvals} of ${after.approvalsRequired} approvals).`;
  else if (after.phase === 'failed') return { outcome: 'failed', reply: message(`The promotion of ${what} failed: ${after.reason ?? 'see the opsbot log'}.`, 'error'), private: false, detail: after.reason ?? 'promotion failed' };
  else text = `The promotion of ${what} is ${after.phase.replace('_', ' ')}.`;
  return { outcome: 'completed', reply: message(text, after.phase === 'rejected' ? 'warning' : 'success'), private: false, detail: `${verb} ${id}: ${after.phase}` };
}
