import type { ChartRenderer } from '../charts/chart-renderer.port.js';
import type { Message } from '../messages/message.js';
import type { JobRecord } from '../store/job-store.port.js';

/** The confusion matrix of a completed evaluate job as an image, or nothing when it has none. */
export async function confusionReply(job: JobRecord, charts: ChartRenderer): Promise<Message | undefined> {
  const confusion = job.result?.confusion;
  if (job.kind !== 'evaluate' || job.status !== 'completed' || !confusion?.labels.length) return undefined;
  const on = job.args.dataset === undefined ? '' : ` on ${String(job.args.dataset)}`;
  const title = `Confusion matrix of ${String(job.args.model)} v${String(job.args.version)}${on} (${job.id})`;
  const png = await charts.confusionMatrix(confusion.labels, confusion.counts, title);
  const text = `${title}: rows are the actual labels, columns the predicted ones.`;
  return { text, tone: 'info', blocks: [{ type: 'text', text }, { type: 'image', png, alt: `${title}: counts per actual and predicted label`, title }] };
}
