/**
 * The environment that confines a child process to its GPUs. CUDA numbers devices
 * fastest-first unless told otherwise; PCI_BUS_ID makes its indexes match
 * nvidia-smi's, which are the ones opsbot reserves. An empty list hides every GPU.
 */
export function cudaEnv(gpus: readonly number[]): { CUDA_VISIBLE_DEVICES: string; CUDA_DEVICE_ORDER: string } {
  return { CUDA_VISIBLE_DEVICES: gpus.join(','), CUDA_DEVICE_ORDER: 'PCI_BUS_ID' };
}
