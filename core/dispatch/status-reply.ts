import { NotFoundError } from '../errors.js';
import type { Message } from '../messages/message.js';
import type { JobStore } from '../store/job-store.port.js';
import { describeJobAction, jobMessage } from './job-message.js';

export async function statusReply(jobs: JobStore, jobId: string | undefined): Promise<Message> {
  if (jobId) {
    const job = await jobs.get(jobId);
    if (!job) throw new NotFoundError(`There is no job ${jobId}. Type \`status\` to list recent jobs.`);
    return jobMessage(job);
  }
  const recent = await jobs.list({ limit: 15 });
  if (recent.length === 0) {
    const text = 'No jobs yet. Start one with e.g. `train sentiment --dataset data/sentiment.csv`.';
    return { text, tone: 'info', blocks: [{ type: 'text', text }] };
  }
  const rows = recent.map((job) => [
    job.id,
    describeJobAction(job),
    job.status === 'active' && job.progress ? `running ${Math.round(job.progress.percent)}%` : job.status,
    job.requestedBy.displayName,
    job.createdAt.replace('T', ' ').slice(0, 19),
  ]);
  const text = `Recent jobs:\n${rows.map((r) => `  ${r[0]}  ${r[2]}  ${r[1]}`).join('\n')}`;
  return {
    text,
    tone: 'info',
    blocks: [
      { type: 'text', text: 'Recent jobs:' },
      { type: 'table', columns: ['job', 'action', 'state', 'by', 'created (UTC)'], rows },
    ],
  };
}
