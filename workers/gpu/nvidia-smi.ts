import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { GpuDevice } from '../../core/queue/gpu-device.js';

const run = promisify(execFile);

/**
 * A GPU as nvidia-smi reports it. Memory is absent where nvidia-smi has no figure:
 * it prints `[N/A]` on MIG and vGPU, `[Not Supported]` on some boards.
 */
export interface NvidiaSmiGpu extends GpuDevice {
  /** `GPU-…`, which CUDA_VISIBLE_DEVICES may name instead of the index. */
  uuid: string;
  /** Memory other processes already use, in MiB. */
  memoryUsedMiB?: number;
}

const NVIDIA_SMI_ARGS = ['--query-gpu=index,uuid,name,memory.total,memory.used', '--format=csv,noheader'];

/** A number of MiB (unit optional), or a bracketed `[N/A]`-style word for "no figure". */
const MEMORY = String.raw`(\d+(?:\s*MiB)?|\[[^\]]*\])`;
const LINE = new RegExp(String.raw`^\s*(\d+)\s*,\s*([^,]+?)\s*,\s*(.+?)\s*,\s*${MEMORY}\s*,\s*${MEMORY}\s*$`);

function mebibytes(field: string): number | undefined {
  return field.startsWith('[') ? undefined : Number.parseInt(field, 10);
}

/** Parses `0, GPU-5f1c…, NVIDIA A100-SXM4-40GB, 40960 MiB, 3 MiB` lines (units optional, memory may be `[N/A]`). */
export function parseNvidiaSmi(output: string): NvidiaSmiGpu[] {
  const gpus: NvidiaSmiGpu[] = [];
  for (const line of output.split('\n')) {
    if (!line.trim()) continue;
    const match = LINE.exec(line);
    if (!match) throw new Error(`unexpected nvidia-smi line: ${line.slice(0, 200)}`);
    const gpu: NvidiaSmiGpu = { index: Number(match[1]), uuid: match[2] as string, name: match[3] as string };
    const total = mebibytes(match[4] as string);
    const used = mebibytes(match[5] as string);
    if (total !== undefined) gpu.memoryMiB = total;
    if (used !== undefined) gpu.memoryUsedMiB = used;
    gpus.push(gpu);
  }
  return gpus;
}

/** The machine's GPUs by nvidia-smi, whatever CUDA_VISIBLE_DEVICES says; undefined when nvidia-smi is not installed. */
export async function queryNvidiaSmi(): Promise<NvidiaSmiGpu[] | undefined> {
  try {
    const { stdout } = await run('nvidia-smi', NVIDIA_SMI_ARGS, { timeout: 15_000 });
    return parseNvidiaSmi(stdout);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
