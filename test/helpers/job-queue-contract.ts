import { setTimeout as sleep } from 'node:timers/promises';
import { JobCancelledError, PermanentJobError, type ChildOutcome, type JobAction, type JobContext, type JobEvent, type JobProcessor, type JobQueue, type JobWorker, type QueuedJob } from '../../core/index.js';
import { eventually } from './eventually.js';
import { queuedJob } from './fixtures.js';

export interface QueueUnderTest {
  queue: JobQueue;
  startWorker(processor: JobProcessor): Promise<JobWorker>;
  close(): Promise<void>;
}

/** One suite for every queue driver (attempts: 3, backoff: 50 ms, concurrency: 2), so BullMQ and in-process keep the same semantics. */
export function defineJobQueueContract(name: string, factory: () => Promise<QueueUnderTest>): void {
  describe(`${name} job queue contract`, () => {
    let subject: QueueUnderTest;
    let events: JobEvent[];
    let worker: JobWorker | undefined;

    beforeEach(async () => {
      subject = await factory();
      events = [];
      subject.queue.onEvent((event) => events.push(event));
      worker = undefined;
    });
    afterEach(async () => {
      await worker?.close();
      await subject.close();
    });

    const eventsOf = (jobId: string) => events.filter((e) => e.jobId === jobId);

    it('runs a job, relaying its progress in order and then completion', async () => {
      worker = await subject.startWorker(async (_job, context) => {
        await context.reportProgress({ percent: 50, message: 'half' });
        await context.reportProgress({ percent: 100, message: 'all' });
        return { summary: 'done' };
      });
      const job = queuedJob();
      await subject.queue.enqueue(job);
      await eventually('completed', () => eventsOf(job.jobId).some((e) => e.type === 'completed'));
      const progress = eventsOf(job.jobId).flatMap((e) => (e.type === 'progress' ? [e.progress.message] : []));
      expect(progress).toEqual(['half', 'all']);
      expect(eventsOf(job.jobId).some((e) => e.type === 'failed')).toBe(false);
    });

    it('retries a failed attempt with backoff, telling the processor which attempt it is', async () => {
      const contexts: Array<Pick<JobContext, 'attempt' | 'willRetryOnFailure'>> = [];
      worker = await subject.startWorker(async (_job, context) => {
        contexts.push({ attempt: context.attempt, willRetryOnFailure: context.willRetryOnFailure });
        if (context.attempt === 1) throw new Error('transient');
        return { summary: 'ok' };
      });
      const job = queuedJob();
      await subject.queue.enqueue(job);
      await eventually('completed', () => eventsOf(job.jobId).some((e) => e.type === 'completed'));
      expect(contexts).toEqual([
        { attempt: 1, willRetryOnFailure: true },
        { attempt: 2, willRetryOnFailure: true },
      ]);
      expect(eventsOf(job.jobId).some((e) => e.type === 'failed')).toBe(false);
    });

    it('fails a job once every attempt has failed', async () => {
      let calls = 0;
      worker = await subject.startWorker(async (_job, context) => {
        calls++;
        expect(context.willRetryOnFailure).toBe(context.attempt < 3);
        throw new Error('always');
      });
      const job = queuedJob();
      await subject.queue.enqueue(job);
      await eventually('failed', () => eventsOf(job.jobId).some((e) => e.type === 'failed'));
      await sleep(300);
      expect(calls).toBe(3);
      expect(eventsOf(job.jobId).filter((e) => e.type === 'failed')).toHaveLength(1);
    });

    it('never retries a permanent failure', async () => {
      let calls = 0;
      worker = await subject.startWorker(async () => {
        calls++;
        throw new PermanentJobError('dataset not found');
      });
      const job = queuedJob();
      await subject.queue.enqueue(job);
      await eventually('failed', () => eventsOf(job.jobId).some((e) => e.type === 'failed'));
      await sleep(300);
      expect(calls).toBe(1);
    });

    it('removes a job cancelled before it started, so it never runs', async () => {
      const job = queuedJob();
      await subject.queue.enqueue(job);
      expect(await subject.queue.cancel(job.jobId)).toBe('removed');
      let ran = false;
      worker = await subject.startWorker(async () => {
        ran = true;
        return { summary: 'ran' };
      });
      await sleep(500);
      expect(ran).toBe(false);
    });

    it('aborts a running job when it is cancelled, without retrying it', async () => {
      let calls = 0;
      let aborted = false;
      worker = await subject.startWorker(async (_job, context) => {
        calls++;
        await context.reportProgress({ percent: 1, message: 'running' });
        await new Promise<void>((resolve) => context.signal.addEventListener('abort', () => resolve(), { once: true }));
        aborted = true;
        throw new Error('stopped');
      });
      const job = queuedJob();
      await subject.queue.enqueue(job);
      await eventually('progress', () => eventsOf(job.jobId).some((e) => e.type === 'progress'));
      expect(await subject.queue.cancel(job.jobId)).toBe('signalled');
      // The processor only returns once aborted, so failing at all shows the cancel reached it.
      await eventually('failed after cancel', () => eventsOf(job.jobId).some((e) => e.type === 'failed'));
      expect(aborted).toBe(true);
      await sleep(300);
      expect(calls).toBe(1);
    });

    it('runs at most `concurrency` jobs at once across all kinds, and every job in the end', async () => {
      let running = 0;
      let mostAtOnce = 0;
      const held: Array<() => void> = [];
      worker = await subject.startWorker(async (job) => {
        mostAtOnce = Math.max(mostAtOnce, ++running);
        await new Promise<void>((resolve) => held.push(resolve));
        running--;
        return { summary: `ran ${job.action.action}` };
      });
      // Two of each of four kinds: one queue per kind on BullMQ, where a per-queue limit would let 8 run.
      const kinds: JobAction[] = [
        { action: 'train', args: { model: 'sentiment', dataset: 'data.csv' } },
        { action: 'evaluate', args: { model: 'sentiment', version: '1' } },
        { action: 'quantize', args: { model: 'sentiment', version: '1' } },
        { action: 'scale', args: { model: 'sentiment', env: 'dev', replicas: 2 } },
      ];
      const jobs = kinds.flatMap((action) => [queuedJob(action), queuedJob(action)]);
      for (const job of jobs) await subject.queue.enqueue(job);
      for (let released = 0; released < jobs.length; released++) {
        await eventually('a job holding a slot', () => held.length > 0, 10_000);
        // A window in which a driver that ignored the cap would start more.
        await sleep(200);
        held.shift()?.();
      }
      await eventually('every job completed', () => jobs.every((job) => eventsOf(job.jobId).some((e) => e.type === 'completed')), 10_000);
      expect(mostAtOnce).toBe(2);
    }, 60_000);

    const parentJob = () => queuedJob({ action: 'tune', args: { model: 'sentiment' } });
    const untilAborted = (signal: AbortSignal) => new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

    it('runs a parent’s children, then its next step with their outcomes, as one attempt that holds no slot meanwhile', async () => {
      const steps: Array<{ attempt: number; resumed: boolean; finished: ChildOutcome[] }> = [];
      const childRuns: string[] = [];
      let running = 0;
      let mostAtOnce = 0;
      const siblingsDone: Array<number | undefined> = [];
      worker = await subject.startWorker(async (job: QueuedJob, context) => {
        if (job.child) {
          childRuns.push(job.child.key);
          siblingsDone.push(await context.finishedSiblings?.());
          mostAtOnce = Math.max(mostAtOnce, ++running);
          await sleep(100);
          running--;
          await context.reportProgress({ percent: 10, message: `child ${job.child.key}` });
          if (job.child.key === 'part-3') throw new PermanentJobError('part 3 cannot be done');
          return { summary: 'part done', output: { doubled: 2 * (job.child.data.n as number) } };
        }
        steps.push({ attempt: context.attempt, resumed: context.children.resumed, finished: [...context.children.finished] });
        if (!context.children.resumed) {
          return context.children.waitFor([1, 2, 3].map((n) => ({ key: `part-${n}`, data: { n } })));
        }
        return { summary: 'all parts done' };
      });
      const job = parentJob();
      await subject.queue.enqueue(job);
      await eventually('parent completed', () => eventsOf(job.jobId).some((e) => e.type === 'completed'), 10_000);
      expect(steps.map(({ attempt, resumed }) => ({ attempt, resumed }))).toEqual([
        { attempt: 1, resumed: false },
        { attempt: 1, resumed: true },
      ]);
      expect(childRuns.sort()).toEqual(['part-1', 'part-2', 'part-3']);
      // Concurrency is 2: the parked parent left both slots to its children.
      expect(mostAtOnce).toBe(2);
      // The third child starts once a sibling has finished, and can tell (for its parent's progress bar).
      const [first, second, third] = [...siblingsDone].sort();
      expect([first, second]).toEqual([0, 0]);
      expect(third).toBeGreaterThanOrEqual(1);
      const finished = [...(steps[1]?.finished ?? [])].sort((a, b) => a.key.localeCompare(b.key));
      expect(finished).toEqual([
        { key: 'part-1', data: { n: 1 }, result: { summary: 'part done', output: { doubled: 2 } } },
        { key: 'part-2', data: { n: 2 }, result: { summary: 'part done', output: { doubled: 4 } } },
        { key: 'part-3', data: { n: 3 }, error: expect.stringContaining('part 3 cannot be done') },
      ]);
      // Children report progress as their parent; no event names a child.
      const childProgress = eventsOf(job.jobId).flatMap((e) => (e.type === 'progress' ? [e.progress.message] : []));
      expect(childProgress.sort()).toEqual(['child part-1', 'child part-2', 'child part-3']);
      expect(events.filter((e) => e.jobId !== job.jobId)).toEqual([]);
      expect(eventsOf(job.jobId).filter((e) => e.type === 'completed' || e.type === 'failed')).toEqual([{ type: 'completed', jobId: job.jobId }]);
    });

    it('cancels a parked parent: running children abort, waiting ones never work, and its next step runs aborted', async () => {
      const childSignals: Array<{ key: string; abortedAtStart: boolean }> = [];
      let cleanupStep: { aborted: boolean; finished: number } | undefined;
      worker = await subject.startWorker(async (job: QueuedJob, context) => {
        if (job.child) {
          childSignals.push({ key: job.child.key, abortedAtStart: context.signal.aborted });
          await untilAborted(context.signal);
          throw new JobCancelledError();
        }
        if (!context.children.resumed) return context.children.waitFor([1, 2, 3, 4].map((n) => ({ key: `part-${n}`, data: { n } })));
        cleanupStep = { aborted: context.signal.aborted, finished: context.children.finished.length };
        throw new JobCancelledError();
      });
      const job = parentJob();
      await subject.queue.enqueue(job);
      await eventually('two children running', () => childSignals.length === 2, 10_000);
      expect(await subject.queue.describe?.(job.jobId)).toMatchObject({ state: 'waiting-children', children: { running: 2, waiting: 2, finished: 0 } });
      expect(await subject.queue.cancel(job.jobId)).toBe('signalled');
      await eventually('parent failed as cancelled', () => eventsOf(job.jobId).some((e) => e.type === 'failed'), 10_000);
      expect(cleanupStep).toEqual({ aborted: true, finished: 4 });
      // The two that waited were either dropped or started already aborted.
      expect(childSignals.slice(2).every((c) => c.abortedAtStart)).toBe(true);
    });

    it('answers unknown for a job it does not hold', async () => {
      expect(await subject.queue.cancel('j-notthere1')).toBe('unknown');
    });
  });
}
