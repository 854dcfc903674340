import type { GpuDevice } from '../../core/queue/gpu-device.js';
import { visibleGpus } from './cuda-visible-devices.js';
import { queryNvidiaSmi, type NvidiaSmiGpu } from './nvidia-smi.js';
import { parseOpsbotGpus } from './opsbot-gpus.js';

export interface GpuDiscovery {
  devices: GpuDevice[];
  source: 'OPSBOT_GPUS' | 'nvidia-smi' | 'none';
  /** What the operator should know: why no GPUs were found although nvidia-smi exists, or a CUDA_VISIBLE_DEVICES entry that names no GPU. */
  warning?: string;
  /** nvidia-smi's view of those GPUs at start-up, memory in use included, for the log. */
  nvidiaSmi?: NvidiaSmiGpu[];
}

/**
 * The GPUs this process may hand to jobs: OPSBOT_GPUS when set (it wins, so a
 * worker can be limited or faked), else nvidia-smi's list limited to those an
 * inherited CUDA_VISIBLE_DEVICES names, else none. An invalid OPSBOT_GPUS throws a
 * ConfigError.
 */
export async function discoverGpus(
  env: Record<string, string | undefined> = process.env,
  query: () => Promise<NvidiaSmiGpu[] | undefined> = queryNvidiaSmi,
): Promise<GpuDiscovery> {
  const declared = env.OPSBOT_GPUS;
  if (declared !== undefined && declared.trim() !== '') return { devices: parseOpsbotGpus(declared), source: 'OPSBOT_GPUS' };
  try {
    const found = await query();
    if (!found) return { devices: [], source: 'none' };
    const { gpus, warning } = visibleGpus(found, env);
    // A GPU whose memory nvidia-smi cannot report (MIG, vGPU) is advertised without it.
    const devices = gpus.map(({ index, name, memoryMiB }) => (memoryMiB === undefined ? { index, name } : { index, name, memoryMiB }));
    return { devices, source: 'nvidia-smi', nvidiaSmi: gpus, ...(warning ? { warning } : {}) };
  } catch (error) {
    return { devices: [], source: 'none', warning: `nvidia-smi failed, so this process uses no GPUs: ${(error as Error).message.slice(0, 300)}` };
  }
}
