import type { BlueGreenDeployer } from '../deployments/blue-green-deployer.js';
import { otherColour, type ServingStatus } from '../deployments/deploy-target.port.js';
import { describeScaling } from '../deployments/replica-bounds.js';
import { userFacingMessage } from '../errors.js';
import type { Message, MessageBlock } from '../messages/message.js';
import type { StateStore } from '../store/state-store.port.js';

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * `status <model>`: per environment, what serves (version, colour, replicas ready of
 * desired, endpoint), the idle colour, a promotion waiting for approval, and the last changes.
 */
export async function deploymentStatusReply(model: string, store: StateStore, deployer: BlueGreenDeployer | undefined, environments: readonly string[]): Promise<Message> {
  const rows: string[][] = [];
  const notes: MessageBlock[] = [];
  for (const env of environments) {
    const slot = await store.blueGreen.slot(model, env);
    if (!slot?.live && Object.keys(slot?.colours ?? {}).length === 0) continue;
    let serving: ServingStatus | undefined;
    let problem: string | undefined;
    try {
      serving = await deployer?.target.status({ model, env });
    } catch (error) {
      problem = userFacingMessage(error);
    }
    const live = slot?.live;
    const liveState = live ? slot.colours[live] : undefined;
    const idle = live ? otherColour(live) : undefined;
    const idleState = idle ? slot?.colours[idle] : undefined;
    const cacheHits = live ? await deployer?.target.cacheHitRatio?.({ model, env }, live).catch(() => undefined) : undefined;
    const ready = live && serving ? `${serving.colours[live].readyReplicas}/${serving.colours[live].desiredReplicas}` : '?';
    const healthy = live && serving ? (serving.colours[live].readyReplicas > 0 ? 'healthy' : 'NOT READY') : (problem ? `unknown: ${problem}` : 'unknown');
    rows.push([
      env,
      liveState && live ? `v${liveState.version} (${live})` : 'nothing live',
      idleState && idle ? `v${idleState.version} (${idle})` : '—',
      `${ready}${liveState ? `, ${describeScaling(liveState.scaling)}` : ''}`,
      healthy,
      cacheHits === undefined ? '—' : `${(cacheHits * 100).toFixed(0)}%`,
      serving?.endpoint ?? '—',
    ]);
  }
  const pending = await store.blueGreen.list({ model, phases: ['awaiting_approval', 'rolling_out'], limit: 10 });
  for (const d of pending) {
    const votes = d.votes.filter((v) => v.decision === 'approve').length;
    notes.push({
      type: 'text',
      text: d.phase === 'rolling_out'
        ? `Rolling out v${d.version} to ${d.env} (${d.colour}), job ${d.jobId}.`
        : `v${d.version} waits for approval in ${d.env}: ${votes} of ${d.approvalsRequired}, until ${d.expiresAt ? when(d.expiresAt) : '?'} (\`approve ${d.id}\`).`,
    });
  }
  const recent = await store.blueGreen.list({ model, limit: 5 });
  const history = recent.map((d) => [when(d.updatedAt), d.env, `v${d.version}`, d.phase.replace('_', ' '), d.decidedBy ?? d.requestedBy.displayName]);
  if (rows.length === 0 && pending.length === 0) {
    const text = `${model} is not deployed anywhere yet: deploy ${model} to ${environments[0] ?? '<env>'}`;
    return { text, tone: 'info', blocks: [{ type: 'text', text }] };
  }
  const text = `Deployments of ${model}`;
  return {
    text,
    tone: 'info',
    blocks: [
      { type: 'text', text },
      ...(rows.length > 0 ? [{ type: 'table' as const, columns: ['env', 'live', 'idle', 'ready', 'health', 'cache hits', 'endpoint'], rows }] : []),
      ...notes,
      ...(history.length > 0 ? [{ type: 'context' as const, text: 'Last deployments' }, { type: 'table' as const, columns: ['when', 'env', 'version', 'state', 'by'], rows: history }] : []),
    ],
  };
}
