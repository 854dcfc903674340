import type { ChartRenderer } from '../charts/chart-renderer.port.js';
import type { ChatPort } from '../chat/chat.port.js';
import type { Logger } from '../logger.port.js';
import type { Message } from '../messages/message.js';
import type { JobEvent, JobQueue } from '../queue/job-queue.port.js';
import type { JobStore } from '../store/job-store.port.js';
import { confusionReply } from './confusion-reply.js';
import { curveReply } from './curve-reply.js';
import { jobMessage } from './job-message.js';

export interface JobRelayDeps {
  queue: JobQueue;
  jobs: JobStore;
  chat: ChatPort;
  log: Logger;
  /** Without it, completed jobs get no chart (the `curve` command says charts are unavailable). */
  charts?: ChartRenderer;
}

/**
 * Carries job events back to the conversation that started the job: the job's one
 * message is updated in place (progress at most once per `minIntervalMs`, so chat
 * rate limits hold), and a new message is posted when there is none to update. Once a
 * job completes, its chart follows as an image: a train job's curve, an evaluation's
 * confusion matrix.
 */
export class JobRelay {
  private readonly lastUpdate = new Map<string, number>();
  private readonly pendingProgress = new Map<string, NodeJS.Timeout>();
  private readonly chains = new Map<string, Promise<void>>();
  private unsubscribe?: () => void;

  constructor(
    private readonly deps: JobRelayDeps,
    private readonly minIntervalMs = 1000,
  ) {}

  start(): void {
    this.unsubscribe = this.deps.queue.onEvent((event) => this.onEvent(event));
  }

  stop(): void {
    this.unsubscribe?.();
    for (const timer of this.pendingProgress.values()) clearTimeout(timer);
    this.pendingProgress.clear();
  }

  /** Resolves when every update already triggered has been sent (tests and shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }

  private onEvent(event: JobEvent): void {
    // The runner reports progress as soon as an attempt starts, which carries more than `active` does.
    if (event.type === 'active') return;
    if (event.type !== 'progress') {
      clearTimeout(this.pendingProgress.get(event.jobId));
      this.pendingProgress.delete(event.jobId);
      this.refresh(event.jobId, event.type === 'completed' || event.type === 'failed', event.type === 'completed');
      return;
    }
    const since = Date.now() - (this.lastUpdate.get(event.jobId) ?? 0);
    if (since >= this.minIntervalMs) {
      this.refresh(event.jobId, false);
    } else if (!this.pendingProgress.has(event.jobId)) {
      // Coalesce a burst of progress into one trailing update.
      const timer = setTimeout(() => {
        this.pendingProgress.delete(event.jobId);
        this.refresh(event.jobId, false);
      }, this.minIntervalMs - since);
      this.pendingProgress.set(event.jobId, timer);
    }
  }

  /** Updates for one job run in order, so a late progress update never overwrites the final state. */
  private refresh(jobId: string, final: boolean, withChart = false): void {
    this.lastUpdate.set(jobId, Date.now());
    const previous = this.chains.get(jobId) ?? Promise.resolve();
    const updated = previous.then(() => this.send(jobId)).catch((error: unknown) => {
      this.deps.log.warn({ err: error, jobId }, 'could not update the job message');
    });
    // The chart comes after the job message, so the result reads before its picture.
    const next = !withChart
      ? updated
      : updated.then(() => this.postChart(jobId)).catch((error: unknown) => {
          this.deps.log.warn({ err: error, jobId }, 'could not post the chart of a job');
        });
    this.chains.set(jobId, next);
    if (final) {
      void next.finally(() => {
        if (this.chains.get(jobId) === next) this.chains.delete(jobId);
        this.lastUpdate.delete(jobId);
      });
    }
  }

  private async send(jobId: string): Promise<void> {
    const { jobs, chat } = this.deps;
    const job = await jobs.get(jobId);
    if (!job) return;
    const message = jobMessage(job);
    if (job.replyRef) {
      await chat.update(job.conversation, job.replyRef, message);
    } else {
      await jobs.setReplyRef(jobId, await chat.post(job.conversation, message));
    }
  }

  private async postChart(jobId: string): Promise<void> {
    const { charts, jobs, chat } = this.deps;
    if (!charts) return;
    const job = await jobs.get(jobId);
    if (job?.status !== 'completed') return;
    let message: Message | undefined;
    if ((job.kind === 'train' || job.kind === 'tune') && job.result?.history?.length) message = await curveReply(jobs, jobId, charts);
    if (job.kind === 'evaluate') message = await confusionReply(job, charts);
    if (message) await chat.post(job.conversation, message);
  }
}
