/** One GPU of a worker, as discovered (nvidia-smi) or declared (OPSBOT_GPUS). */
export interface GpuDevice {
  /** The index CUDA_VISIBLE_DEVICES names (nvidia-smi's index, in PCI bus order). */
  index: number;
  name: string;
  /** Total memory in MiB, when known. */
  memoryMiB?: number;
}
