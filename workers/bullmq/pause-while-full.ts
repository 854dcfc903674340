import type { Worker } from 'bullmq';
import type { Logger } from '../../core/index.js';
import type { JobSlots } from '../job-slots.js';

/**
 * Keeps a process's per-kind BullMQ Workers from taking jobs while its job slots are
 * all held, so jobs stay in Redis for other worker processes instead of waiting here.
 * Each Worker is paused locally (not the queue) without waiting for its active jobs,
 * and resumed once a slot is free. A Worker already blocked on Redis may still take
 * one job as it pauses: that job waits here for a slot, with its lock renewed.
 */
export function pauseWhileFull(slots: JobSlots, workers: readonly Worker[], log: Logger): () => void {
  let paused = false;
  // Pause and resume are async: applied one after another, each to the latest state.
  let applying: Promise<void> = Promise.resolve();
  const apply = () => {
    applying = applying.then(async () => {
      if (slots.full === paused) return;
      paused = slots.full;
      await Promise.all(workers.map((worker) => (paused ? worker.pause(true) : worker.resume())));
    }).catch((error: unknown) => log.error({ err: error }, 'could not pause or resume taking jobs'));
  };
  return slots.onChange(apply);
}
