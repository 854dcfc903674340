import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { GpuDevice } from '../../core/queue/gpu-device.js';

const run = promisify(execFile);

/** A GPU as nvidia-smi reports it, with the memory other processes already use. */
export interface NvidiaSmiGpu extends GpuDevice {
  memoryMiB: number;
  memoryUsedMiB: number;
}

const NVIDIA_SMI_ARGS = ['--query-gpu=index,name,memory.total,memory.used', '--format=csv,noheader'];

/** Parses `0, NVIDIA A100-SXM4-40GB, 40960 MiB, 3 MiB` lines (units optional). */
export function parseNvidiaSmi(output: string): NvidiaSmiGpu[] {
  const gpus: NvidiaSmiGpu[] = [];
  for (const line of output.split('\n')) {
    if (!line.trim()) continue;
    const match = /^\s*(\d+)\s*,\s*(.+?)\s*,\s*(\d+)(?:\s*MiB)?\s*,\s*(\d+)(?:\s*MiB)?\s*$/.exec(line);
    if (!match) throw new Error(`unexpected nvidia-smi line: ${line.slice(0, 200)}`);
    gpus.push({ index: Number(match[1]), name: match[2] as string, memoryMiB: Number(match[3]), memoryUsedMiB: Number(match[4]) });
  }
  return gpus;
}

/** The machine's GPUs by nvidia-smi; undefined when nvidia-smi is not installed. */
export async function queryNvidiaSmi(): Promise<NvidiaSmiGpu[] | undefined> {
  try {
    const { stdout } = await run('nvidia-smi', NVIDIA_SMI_ARGS, { timeout: 15_000 });
    return parseNvidiaSmi(stdout);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
