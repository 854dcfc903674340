/** How many jobs one queue holds in each state, read when metrics are scraped. */
export interface QueueCounts {
  /** The queue's name: a job kind (`train`, `train-gpu-2`, `tune-children`) on BullMQ, `in-process` embedded. */
  queue: string;
  waiting: number;
  active: number;
  /** BullMQ: jobs kept in the failed set; in-process: jobs failed for good since this process started. */
  failed: number;
  /** Waiting for a retry's backoff. */
  delayed: number;
}

/** A process's own job capacity: CPU job slots and GPUs, each free or used. */
export interface WorkerCapacity {
  jobSlots: { size: number; used: number };
  gpus: { size: number; used: number };
}
