import { setTimeout as sleep } from 'node:timers/promises';
import { TERMINAL_JOB_STATUSES, type JobStore } from '../core/index.js';

/** Waits until every job is completed, failed or cancelled (piped sessions end only when their work has). */
export async function waitForJobs(jobs: JobStore, jobIds: readonly string[], pollMs = 200): Promise<void> {
  for (;;) {
    const records = await Promise.all(jobIds.map((id) => jobs.get(id)));
    if (records.every((job) => !job || TERMINAL_JOB_STATUSES.includes(job.status))) return;
    await sleep(pollMs);
  }
}
