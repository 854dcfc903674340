import type { Message, MessageBlock, Tone } from '../messages/message.js';
import type { BlueGreenDeployment, DeploymentPhase } from '../store/blue-green-store.port.js';

const OUTCOME: Partial<Record<DeploymentPhase, { title: string; tone: Tone }>> = {
  promoting: { title: 'Promoting', tone: 'info' },
  live: { title: 'Promoted', tone: 'success' },
  superseded: { title: 'Promoted', tone: 'success' },
  rolled_back: { title: 'Promoted, later rolled back', tone: 'warning' },
  rejected: { title: 'Rejected', tone: 'error' },
  expired: { title: 'Expired', tone: 'warning' },
  failed: { title: 'Failed', tone: 'error' },
};

function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? 'n/a' : `${(value * 100).toFixed(1)}%`;
}

function utc(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '';
}

function formatMetric(value: number | null): string {
  return value === null ? '—' : value.toFixed(4);
}

/** Metric rows: the live version's value, the new one's and the difference. */
function evaluationTable(d: BlueGreenDeployment): MessageBlock[] {
  const evaluation = d.report.evaluation;
  if (!evaluation || Object.keys(evaluation).length === 0) return [];
  const live = d.previousVersion === undefined ? 'live' : `live v${d.previousVersion}`;
  const rows = Object.entries(evaluation).map(([metric, [before, after]]) => [
    metric,
    formatMetric(before),
    formatMetric(after),
    before === null ? '—' : `${after - before >= 0 ? '+' : ''}${(after - before).toFixed(4)}`,
  ]);
  return [{ type: 'table', columns: ['metric', live, `new v${d.version}`, 'change'], rows }];
}

function checks(d: BlueGreenDeployment): string {
  const parts: string[] = [`health: ${d.report.healthy === false ? 'failing' : 'ready on /healthz'}`];
  const smoke = d.report.smokeTest;
  if (smoke) {
    const labels = Object.entries(smoke.labels).map(([label, n]) => `${label} ${n}`).join(', ');
    parts.push(`smoke test: ${smoke.texts} texts${smoke.agreement === null ? '' : `, ${percent(smoke.agreement)} agree with the live version`}${labels ? ` (${labels})` : ''}`);
  }
  if (d.report.latencyMs) parts.push(`latency p50 ${d.report.latencyMs.p50.toFixed(1)} ms, p99 ${d.report.latencyMs.p99.toFixed(1)} ms`);
  return parts.join(' · ');
}

function votesLine(d: BlueGreenDeployment): string {
  const approvals = d.votes.filter((v) => v.decision === 'approve');
  const names = approvals.map((v) => v.displayName).join(', ');
  return `${approvals.length} of ${d.approvalsRequired} approval${d.approvalsRequired === 1 ? '' : 's'}${names ? `: ${names}` : ''}`;
}

/**
 * The card approvers decide on: what would go live and what it replaces, how it measured,
 * the votes so far and, while it waits, Promote and Reject. Once decided it shows the
 * outcome, who decided and when (`now`: it is re-drawn as things happen), and no buttons.
 */
export function approvalCard(d: BlueGreenDeployment, now: Date): Message {
  const waiting = d.phase === 'awaiting_approval';
  const replacing = d.previousVersion === undefined ? 'first deployment' : `replaces v${d.previousVersion}`;
  const headline = `Promotion of ${d.model} v${d.version} to ${d.env}`;
  const outcome = OUTCOME[d.phase];
  const status = waiting
    ? `Waiting for approval: ${votesLine(d)}, until ${utc(d.expiresAt)}.`
    : `${outcome?.title ?? d.phase}${d.decidedBy ? ` by ${d.decidedBy}` : ''} at ${utc(now.toISOString())}.${d.reason ? ` ${d.reason}` : ''}`;
  const blocks: MessageBlock[] = [
    { type: 'text', text: headline },
    {
      type: 'fields',
      fields: [
        { label: 'Model', value: `${d.model} v${d.version} (${replacing})` },
        { label: 'Environment', value: `${d.env}, ${d.colour} colour` },
        { label: 'Requested by', value: `${d.requestedBy.displayName} (${d.conversation.platform} ${d.conversation.channelId})` },
        { label: 'Approvals', value: votesLine(d) },
      ],
    },
    ...evaluationTable(d),
    { type: 'context', text: checks(d) },
    { type: 'text', text: status },
  ];
  const rejections = d.votes.filter((v) => v.decision === 'reject');
  if (rejections.length > 0 && waiting) blocks.push({ type: 'context', text: `Rejected by ${rejections.map((v) => v.displayName).join(', ')}` });
  if (waiting) {
    blocks.push({
      type: 'buttons',
      buttons: [
        { label: 'Promote', command: `approve ${d.id}`, style: 'primary' },
        { label: 'Reject', command: `reject ${d.id}`, style: 'danger' },
      ],
    });
  }
  return { text: `${headline}: ${status}`, tone: waiting ? 'warning' : (outcome?.tone ?? 'info'), blocks };
}
