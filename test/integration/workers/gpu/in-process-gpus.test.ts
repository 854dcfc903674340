import { statusReply } from '../../../../core/dispatch/status-reply.js';
import { PermanentJobError, type JobContext, type QueuedJob } from '../../../../core/index.js';
import { openSqliteStateStore } from '../../../../store/index.js';
import { InProcessJobQueue } from '../../../../workers/in-process/in-process-job-queue.js';
import { eventually } from '../../../helpers/eventually.js';
import { alice, queuedJob, terminal } from '../../../helpers/fixtures.js';

const trainJob = (gpus: number): QueuedJob => queuedJob({ action: 'train', args: { model: 'bert', dataset: 'x.csv', gpus } });
const a100s = (count: number) => Array.from({ length: count }, (_, index) => ({ index, name: 'A100', memoryMiB: 40960 }));

describe('in-process queue with GPUs', () => {
  let queue: InProcessJobQueue;
  /** Each running job's GPUs, and a way to let it finish. */
  const running = new Map<string, { gpus: readonly number[]; finish: () => void; context: JobContext }>();

  const start = (gpus: number, concurrency = 1) => {
    queue = new InProcessJobQueue({ attempts: 1, backoffMs: 10, concurrency, gpus: a100s(gpus) });
    queue.startWorker(
      (job, context) =>
        new Promise((resolve, reject) => {
          running.set(job.jobId, { gpus: context.gpus ?? [], finish: () => resolve({ summary: 'ok' }), context });
          context.signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true });
        }).finally(() => running.delete(job.jobId)) as Promise<{ summary: string }>,
      'embedded',
    );
  };
  afterEach(async () => {
    for (const job of running.values()) job.finish();
    await queue.close();
  });

  it('refuses at once a job that needs more GPUs than the machine has, naming how many it has', async () => {
    start(1);
    const error = await queue.enqueue(trainJob(2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentJobError);
    expect((error as PermanentJobError).userMessage).toMatch(/^this machine has 1 GPU \(0: A100\), so a job that needs 2 can never run here/);
  });

  it('starts a GPU job only when enough GPUs are free, never sharing one, while CPU jobs run alongside', async () => {
    start(2);
    const big = trainJob(2);
    const small = trainJob(1);
    const cpu = trainJob(0);
    for (const job of [big, small, cpu]) await queue.enqueue(job);
    await eventually('the 2-GPU and the CPU job running', () => running.has(big.jobId) && running.has(cpu.jobId));
    expect(running.get(big.jobId)?.gpus).toEqual([0, 1]);
    expect(running.get(cpu.jobId)?.gpus).toEqual([]);
    expect(running.has(small.jobId)).toBe(false);
    expect(await queue.describe(small.jobId)).toEqual({ state: 'waiting', queue: 'in-process', position: 1, waiting: 1, gpusNeeded: 1 });
    expect(await queue.describe(big.jobId)).toEqual({ state: 'running', queue: 'in-process', gpusNeeded: 2, workerId: 'embedded', gpus: [0, 1] });
    const [worker] = await queue.workers();
    expect(worker?.gpus.map((g) => g.jobId)).toEqual([big.jobId, big.jobId]);
    expect(worker?.jobIds).toEqual(expect.arrayContaining([big.jobId, cpu.jobId]));

    running.get(big.jobId)?.finish();
    await eventually('the 1-GPU job running', () => running.get(small.jobId));
    expect(running.get(small.jobId)?.gpus).toEqual([0]);
    expect(await queue.describe(big.jobId)).toBeUndefined();
  });

  it('frees a cancelled job’s GPUs for the next job', async () => {
    start(1);
    const first = trainJob(1);
    const second = trainJob(1);
    await queue.enqueue(first);
    await queue.enqueue(second);
    await eventually('the first job running', () => running.get(first.jobId));
    expect(await queue.cancel(first.jobId)).toBe('signalled');
    await eventually('the second job running', () => running.get(second.jobId));
    expect(running.get(second.jobId)?.gpus).toEqual([0]);
  });

  it('shows queue positions, workers and GPUs in status', async () => {
    start(1);
    const store = openSqliteStateStore(':memory:');
    const jobs = [trainJob(1), trainJob(1)];
    for (const job of jobs) {
      await store.jobs.create({ id: job.jobId, kind: 'train', args: job.action.args, requestedBy: alice, conversation: terminal, text: 'train bert --gpus 1' });
      await queue.enqueue(job);
    }
    const [first, second] = jobs.map((j) => j.jobId) as [string, string];
    await eventually('the first job running', () => running.get(first));
    await store.jobs.markActive(first, 1, 'embedded');

    expect((await statusReply(store.jobs, second, queue)).text).toMatch(/— queued\nWaiting: #1 of 1 in the in-process queue \(needs 1 GPU\)\.$/);
    expect((await statusReply(store.jobs, first, queue)).text).toMatch(/— running\nRunning on embedded · GPU 0\.$/);
    const list = await statusReply(store.jobs, undefined, queue);
    expect(list.text).toContain(`${first}  running on embedded (GPU 0)`);
    expect(list.text).toContain(`${second}  queued #1 (needs 1 GPU)`);
    expect(list.text).toContain(`Workers:\n  embedded  GPUs: 0 A100: ${first}  running: ${first}`);
    expect(list.blocks).toContainEqual({ type: 'table', columns: ['worker', 'GPUs', 'running'], rows: [['embedded', `0 A100: ${first}`, first]] });
    // Without a queue that can tell, status answers from the store as before.
    expect((await statusReply(store.jobs, second)).text).not.toMatch(/Waiting/);
    await store.close();
  });
});
