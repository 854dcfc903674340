import type { GpuDevice } from './gpu-device.js';

/** A GPU of a live worker and the job holding it, if any. */
export interface GpuStatus extends GpuDevice {
  jobId?: string;
}

/** What a live worker advertises: its GPUs, who holds them, and every job it runs. */
export interface WorkerStatus {
  workerId: string;
  host: string;
  /** The job kinds it takes. */
  kinds: readonly string[];
  gpus: readonly GpuStatus[];
  /** Running jobs, CPU and GPU. */
  jobIds: readonly string[];
  /** ISO time of its last heartbeat. */
  seenAt: string;
}
