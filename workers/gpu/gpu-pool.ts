import type { GpuDevice } from '../../core/queue/gpu-device.js';
import type { GpuStatus } from '../../core/queue/worker-status.js';

/** A process's GPUs and which job holds each: no GPU is ever held by two jobs. */
export class GpuPool {
  private readonly holders = new Map<number, string>();

  constructor(readonly devices: readonly GpuDevice[]) {}

  get size(): number {
    return this.devices.length;
  }

  get free(): number {
    return this.devices.length - this.holders.size;
  }

  /** Reserves `count` free GPUs for a job, lowest indexes first; undefined when fewer are free. */
  take(jobId: string, count: number): number[] | undefined {
    if (count > this.free) return undefined;
    const taken = this.devices.filter((d) => !this.holders.has(d.index)).slice(0, count).map((d) => d.index);
    for (const index of taken) this.holders.set(index, jobId);
    return taken;
  }

  release(jobId: string): void {
    for (const [index, holder] of this.holders) if (holder === jobId) this.holders.delete(index);
  }

  status(): GpuStatus[] {
    return this.devices.map((device) => {
      const jobId = this.holders.get(device.index);
      return jobId === undefined ? { ...device } : { ...device, jobId };
    });
  }
}
