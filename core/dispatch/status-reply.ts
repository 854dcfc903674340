import { NotFoundError } from '../errors.js';
import type { Message, MessageBlock } from '../messages/message.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import { parentOfJobId } from '../queue/job-children.js';
import type { JobPlacement } from '../queue/job-placement.js';
import type { WorkerStatus } from '../queue/worker-status.js';
import type { JobRecord, JobStore } from '../store/job-store.port.js';
import { describeJobAction, jobMessage } from './job-message.js';

/** What the queue can say about placement; status still answers from the store alone when it cannot. */
export type PlacementSource = Pick<JobQueue, 'describe' | 'workers'>;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function gpuList(indexes: readonly number[]): string {
  return `${indexes.length === 1 ? 'GPU' : 'GPUs'} ${indexes.join(', ')}`;
}

/** "trial-1 on worker-b, trial-2 on worker-a": where a parent's children run, from the workers' advertisements. */
function childrenAt(jobId: string, workers: readonly WorkerStatus[]): string {
  const placed = workers.flatMap((w) => w.jobIds.filter((id) => parentOfJobId(id) === jobId).map((id) => `${id.slice(jobId.length + 1)} on ${w.workerId}`));
  return placed.length > 0 ? ` (${placed.sort().join(', ')})` : '';
}

/** One line on where a job is: its place in line (and whether any worker could take it), its worker and GPUs, or its children's. */
function placementLine(jobId: string, placement: JobPlacement, workers: readonly WorkerStatus[]): string {
  if (placement.state === 'delayed') return 'Waiting to retry after a failed attempt.';
  if (placement.state === 'waiting-children') {
    const { running, waiting, finished } = placement.children;
    return `Waiting for its child jobs: ${running} running${childrenAt(jobId, workers)}, ${waiting} waiting, ${finished} finished.`;
  }
  if (placement.state === 'running') {
    const where = placement.workerId ? `Running on ${placement.workerId}` : 'Running';
    return placement.gpus.length > 0 ? `${where} · ${gpuList(placement.gpus)}.` : `${where}.`;
  }
  const needs = placement.gpusNeeded > 0 ? ` (needs ${plural(placement.gpusNeeded, 'GPU')})` : '';
  let line = `Waiting: #${placement.position} of ${placement.waiting} in the ${placement.queue} queue${needs}.`;
  const largest = Math.max(0, ...workers.map((w) => w.gpus.length));
  if (placement.gpusNeeded > 0 && workers.length > 0 && largest < placement.gpusNeeded) {
    line += ` No live worker has ${placement.gpusNeeded} GPUs (the largest has ${largest}); it starts when one joins.`;
  }
  return line;
}

function workerRows(workers: readonly WorkerStatus[]): string[][] {
  return workers.map((w) => [
    w.workerId,
    w.gpus.length === 0 ? 'none' : w.gpus.map((g) => `${g.index} ${g.name}: ${g.jobId ?? 'free'}`).join(' · '),
    w.jobIds.length === 0 ? 'idle' : w.jobIds.join(', '),
  ]);
}

async function placementOf(queue: PlacementSource | undefined, job: JobRecord): Promise<JobPlacement | undefined> {
  if (!queue?.describe || (job.status !== 'queued' && job.status !== 'active')) return undefined;
  return queue.describe(job.id).catch(() => undefined);
}

async function workersOf(queue: PlacementSource | undefined): Promise<WorkerStatus[]> {
  return (await queue?.workers?.().catch(() => undefined)) ?? [];
}

/** `status` and `status <job>`: from the store, with queue positions, workers and GPUs when the queue can tell. */
export async function statusReply(jobs: JobStore, jobId: string | undefined, queue?: PlacementSource): Promise<Message> {
  if (jobId) {
    const job = await jobs.get(jobId);
    if (!job) throw new NotFoundError(`There is no job ${jobId}. Type \`status\` to list recent jobs.`);
    const message = jobMessage(job);
    const [placement, workers] = await Promise.all([placementOf(queue, job), workersOf(queue)]);
    if (!placement) return message;
    const line = placementLine(job.id, placement, workers);
    const at = message.blocks.findIndex((block) => block.type === 'context');
    message.blocks.splice(at < 0 ? message.blocks.length : at, 0, { type: 'text', text: line });
    return { ...message, text: `${message.text}\n${line}` };
  }
  const recent = await jobs.list({ limit: 15 });
  if (recent.length === 0) {
    const text = 'No jobs yet. Start one with e.g. `train sentiment --dataset data/sentiment.csv`.';
    return { text, tone: 'info', blocks: [{ type: 'text', text }] };
  }
  const [placements, workers] = await Promise.all([Promise.all(recent.map((job) => placementOf(queue, job))), workersOf(queue)]);
  const rows = recent.map((job, i) => [
    job.id,
    describeJobAction(job),
    stateCell(job, placements[i]),
    job.requestedBy.displayName,
    job.createdAt.replace('T', ' ').slice(0, 19),
  ]);
  let text = `Recent jobs:\n${rows.map((r) => `  ${r[0]}  ${r[2]}  ${r[1]}`).join('\n')}`;
  const blocks: MessageBlock[] = [
    { type: 'text', text: 'Recent jobs:' },
    { type: 'table', columns: ['job', 'action', 'state', 'by', 'created (UTC)'], rows },
  ];
  if (workers.length > 0) {
    const workerTable = workerRows(workers);
    text += `\nWorkers:\n${workerTable.map((r) => `  ${r[0]}  GPUs: ${r[1]}  running: ${r[2]}`).join('\n')}`;
    blocks.push({ type: 'text', text: 'Workers:' }, { type: 'table', columns: ['worker', 'GPUs', 'running'], rows: workerTable });
  }
  return { text, tone: 'info', blocks };
}

function stateCell(job: JobRecord, placement: JobPlacement | undefined): string {
  if (job.status === 'active') {
    let cell = job.progress ? `running ${Math.round(job.progress.percent)}%` : 'running';
    if (placement?.state === 'running' && placement.workerId) cell += ` on ${placement.workerId}`;
    if (placement?.state === 'running' && placement.gpus.length > 0) cell += ` (${gpuList(placement.gpus)})`;
    if (placement?.state === 'waiting-children') cell += ` (${plural(placement.children.running, 'child job')} running, ${placement.children.waiting} waiting)`;
    return cell;
  }
  if (job.status === 'queued' && placement?.state === 'waiting') {
    return `queued #${placement.position}${placement.gpusNeeded > 0 ? ` (needs ${plural(placement.gpusNeeded, 'GPU')})` : ''}`;
  }
  if (job.status === 'queued' && placement?.state === 'delayed') return 'queued (retry)';
  return job.status;
}
