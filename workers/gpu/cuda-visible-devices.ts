import type { NvidiaSmiGpu } from './nvidia-smi.js';

export interface VisibleGpus {
  gpus: NvidiaSmiGpu[];
  /** What the operator should check, for the log: an entry that names no GPU, or indexes CUDA may count differently. */
  warning?: string;
}

/** `-1` (or an empty value) is the usual way to hide GPUs: stopping there is the point, not a mistake. */
function hidesOnPurpose(raw: string, unmatched: string): boolean {
  return raw.trim() === '' || /^-\d+$/.test(unmatched);
}

/** The one GPU an entry names, as CUDA reads it: an index, or a `GPU-…` UUID or a prefix of one that fits a single GPU. */
function gpuNamedBy(entry: string, found: readonly NvidiaSmiGpu[]): NvidiaSmiGpu | undefined {
  if (/^\d+$/.test(entry)) return found.find((gpu) => gpu.index === Number(entry));
  if (!entry.startsWith('GPU-')) return undefined;
  const matches = found.filter((gpu) => gpu.uuid.startsWith(entry));
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * The GPUs an inherited CUDA_VISIBLE_DEVICES (`CUDA_VISIBLE_DEVICES=2,3 opsbot worker`)
 * leaves this process. nvidia-smi lists every GPU whatever the variable says, so without
 * this jobs could land on GPUs the operator excluded. Like CUDA, the first entry that
 * names no GPU ends the list (MIG instances, `MIG-…`, are not GPUs nvidia-smi lists
 * here). Jobs then get these GPUs' nvidia-smi indexes with CUDA_DEVICE_ORDER=PCI_BUS_ID
 * (cuda-env.ts), which replace the inherited variable, so they see the same GPUs.
 */
export function visibleGpus(found: readonly NvidiaSmiGpu[], env: Record<string, string | undefined>): VisibleGpus {
  const raw = env.CUDA_VISIBLE_DEVICES;
  if (raw === undefined) return { gpus: [...found] };
  const entries = raw.split(',').map((entry) => entry.trim());
  const named = new Set<NvidiaSmiGpu>();
  let unmatched: string | undefined;
  for (const entry of entries) {
    const gpu = gpuNamedBy(entry, found);
    if (!gpu) {
      unmatched = entry;
      break;
    }
    named.add(gpu);
  }
  // In nvidia-smi's order, so jobs take the lowest indexes first as elsewhere.
  const gpus = found.filter((gpu) => named.has(gpu));
  const uses = gpus.length === 0 ? 'no GPUs' : `GPUs ${gpus.map((gpu) => gpu.index).join(', ')} only`;
  const warnings: string[] = [];
  if (unmatched !== undefined && !hidesOnPurpose(raw, unmatched)) {
    warnings.push(
      `CUDA_VISIBLE_DEVICES="${raw}": "${unmatched}" names none of the GPUs nvidia-smi lists (${found.map((gpu) => `${gpu.index} ${gpu.uuid}`).join(', ') || 'none'}), so, as CUDA does, this process ignores it and the entries after it and uses ${uses}; set OPSBOT_GPUS to declare its GPUs instead`,
    );
  }
  // CUDA counts fastest first unless told otherwise; only GPUs of one model are sure to be counted in nvidia-smi's (PCI bus) order.
  const byIndex = entries.some((entry) => /^\d+$/.test(entry));
  if (byIndex && env.CUDA_DEVICE_ORDER !== 'PCI_BUS_ID' && new Set(found.map((gpu) => gpu.name)).size > 1) {
    warnings.push(
      `CUDA_VISIBLE_DEVICES="${raw}" names GPUs by index, which CUDA counts fastest first unless CUDA_DEVICE_ORDER=PCI_BUS_ID, and this machine has GPUs of different models; opsbot read them as nvidia-smi's indexes (${uses}), so set CUDA_DEVICE_ORDER=PCI_BUS_ID or name GPUs by UUID (nvidia-smi -L) to be sure`,
    );
  }
  return warnings.length > 0 ? { gpus, warning: warnings.join('. ') } : { gpus };
}
