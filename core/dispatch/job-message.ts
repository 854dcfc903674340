import type { Button, MessageBlock, Message } from '../messages/message.js';
import type { JobRecord } from '../store/job-store.port.js';

const STATUS_LINE: Record<JobRecord['status'], string> = {
  queued: 'queued',
  active: 'running',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
};

export function describeJobAction(job: Pick<JobRecord, 'kind' | 'args'>): string {
  const a = job.args;
  const parts: string[] = [job.kind, String(a.model ?? '')];
  if (a.version !== undefined) parts.push(`v${String(a.version)}`);
  if (a.env !== undefined) parts.push(job.kind === 'deploy' ? `to ${String(a.env)}` : `in ${String(a.env)}`);
  if (a.replicas !== undefined) parts.push(`to ${String(a.replicas)} replicas`);
  if (a.min !== undefined || a.max !== undefined) parts.push(`autoscaling ${String(a.min ?? '?')}–${String(a.max ?? '?')}`);
  if (a.dataset !== undefined) parts.push(`on ${String(a.dataset)}`);
  return parts.filter(Boolean).join(' ');
}

function progressBar(percent: number): string {
  const filled = Math.round(Math.max(0, Math.min(100, percent)) / 10);
  return `${'█'.repeat(filled)}${'░'.repeat(10 - filled)} ${Math.round(percent)}%`;
}

/** The one message that shows a job, updated in place as it moves through its states. */
export function jobMessage(job: JobRecord): Message {
  const title = `Job ${job.id}: ${describeJobAction(job)} — ${STATUS_LINE[job.status]}`;
  const blocks: MessageBlock[] = [{ type: 'text', text: title }];
  let text = title;
  if (job.status === 'active' && job.progress) {
    const line = `${progressBar(job.progress.percent)} ${job.progress.message}`;
    blocks.push({ type: 'text', text: line });
    text += `\n${line}`;
  }
  if (job.status === 'completed' && job.result) {
    blocks.push({ type: 'text', text: job.result.summary });
    text += `\n${job.result.summary}`;
    if (job.result.details) {
      blocks.push({
        type: 'fields',
        fields: Object.entries(job.result.details).map(([label, value]) => ({ label, value: String(value) })),
      });
    }
    if (job.result.table) blocks.push({ type: 'table', ...job.result.table });
  }
  if ((job.status === 'failed' || job.status === 'cancelled') && job.error) {
    blocks.push({ type: 'text', text: job.error });
    text += `\n${job.error}`;
  }
  const context = [`requested by ${job.requestedBy.displayName}`];
  if (job.attempts > 1) context.push(`attempt ${job.attempts}`);
  if (job.workerId) context.push(`worker ${job.workerId}`);
  blocks.push({ type: 'context', text: context.join(' · ') });
  if (job.status === 'queued' || job.status === 'active') {
    blocks.push({ type: 'buttons', buttons: [{ label: 'Cancel', command: `cancel ${job.id}`, style: 'danger' }] });
  }
  const nextSteps = job.status === 'completed' ? (job.result?.nextSteps ?? []) : [];
  if (nextSteps.length > 0) {
    blocks.push({
      type: 'buttons',
      // The first step is the one the job suggests most; a protected deploy still asks to confirm.
      buttons: nextSteps.map((step, i): Button => (i === 0 ? { ...step, style: 'primary' } : { ...step })),
    });
  }
  const tone = job.status === 'completed' ? 'success' : job.status === 'failed' ? 'error' : job.status === 'cancelled' ? 'warning' : 'info';
  return { text, tone, blocks };
}
