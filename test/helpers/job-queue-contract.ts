import { setTimeout as sleep } from 'node:timers/promises';
import { PermanentJobError, type JobContext, type JobEvent, type JobProcessor, type JobQueue, type JobWorker } from '../../core/index.js';
import { eventually } from './eventually.js';
import { queuedJob } from './fixtures.js';

export interface QueueUnderTest {
  queue: JobQueue;
  startWorker(processor: JobProcessor): Promise<JobWorker>;
  close(): Promise<void>;
}

/** One suite for every queue driver (attempts: 3, backoff: 50 ms), so BullMQ and in-process keep the same semantics. */
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
      const started = Date.now();
      expect(await subject.queue.cancel(job.jobId)).toBe('signalled');
      await eventually('failed after cancel', () => eventsOf(job.jobId).some((e) => e.type === 'failed'));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(aborted).toBe(true);
      await sleep(300);
      expect(calls).toBe(1);
    });

    it('answers unknown for a job it does not hold', async () => {
      expect(await subject.queue.cancel('j-notthere1')).toBe('unknown');
    });
  });
}
