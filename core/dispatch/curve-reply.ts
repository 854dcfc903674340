import type { ChartRenderer } from '../charts/chart-renderer.port.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Message } from '../messages/message.js';
import type { JobStore } from '../store/job-store.port.js';
import { formatLoss } from '../text/format-loss.js';

/** `curve <job-id>`: the training curve of a finished train job, as an image. */
export async function curveReply(jobs: JobStore, jobId: string, charts: ChartRenderer | undefined): Promise<Message> {
  const job = await jobs.get(jobId);
  if (!job) throw new NotFoundError(`There is no job ${jobId}. Type \`status\` to list recent jobs.`);
  if (job.kind !== 'train' && job.kind !== 'tune') {
    throw new ConflictError(`Job ${jobId} is a ${job.kind} job; only train and tune jobs have a training curve.`);
  }
  const history = job.result?.history;
  if (job.status !== 'completed' || !history?.length) {
    throw new ConflictError(`Job ${jobId} is ${job.status === 'active' ? 'still running' : job.status}; its curve is available once it has completed.`);
  }
  if (!charts) throw new ConflictError('Charts are not available in this opsbot process.');
  const title = `Training curve of ${String(job.args.model)} (${jobId})`;
  const png = await charts.trainingCurve(history, title);
  const last = history[history.length - 1];
  const text = `${title}: ${history.length} ${history.length === 1 ? 'epoch' : 'epochs'}${last?.val_loss !== undefined ? `, final validation loss ${formatLoss(last.val_loss)}` : ''}.`;
  return { text, tone: 'info', blocks: [{ type: 'text', text }, { type: 'image', png, alt: `${title}: loss and accuracy per epoch`, title }] };
}
