/** Where a job that has not finished is: waiting its turn, waiting to retry, waiting for its children, or running on a worker. */
export type JobPlacement =
  | {
      state: 'waiting';
      /** The queue it waits in, e.g. `train` or `train-gpu-2`. */
      queue: string;
      /** 1 = the next job its queue hands out. */
      position: number;
      /** Jobs waiting in that queue, this one included. */
      waiting: number;
      /** GPUs it needs; 0 = CPU. */
      gpusNeeded: number;
    }
  | { state: 'delayed'; queue: string; gpusNeeded: number }
  /** Parked while its child jobs (a tune job's trials) run; the workers list shows which runs where. */
  | { state: 'waiting-children'; queue: string; gpusNeeded: number; children: { running: number; waiting: number; finished: number } }
  | {
      state: 'running';
      queue: string;
      gpusNeeded: number;
      /** Unknown while the worker's advertisement has not caught up. */
      workerId?: string;
      /** The GPU indexes it holds (its CUDA_VISIBLE_DEVICES); empty for CPU jobs. */
      gpus: readonly number[];
    };
