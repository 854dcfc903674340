import { z } from 'zod';
import { ConfigError } from '../../core/index.js';
import type { GpuDevice } from '../../core/queue/gpu-device.js';

const OPSBOT_GPUS_FORMAT =
  'a GPU count such as 2 (GPUs 0 and 1), or comma-separated index[:name[:memoryMiB]] entries such as 0:A100:40960,1:A100:40960';

const countSchema = z.coerce.number().int().min(0).max(64);
const deviceSchema = z.object({
  index: z.coerce.number({ error: 'the index must be a number' }).int('the index must be a whole number').min(0).max(1023),
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, 'names are letters, digits, spaces, ".", "_" or "-"'),
  memoryMiB: z.coerce.number({ error: 'memory must be a number of MiB' }).int('memory must be whole MiB').positive().optional(),
});

/**
 * Reads `OPSBOT_GPUS`, the GPUs a worker declares instead of asking nvidia-smi:
 * `2` means GPUs 0 and 1; `0:A100:40960,1:A100:40960` names each GPU's index, and
 * optionally its name and memory; `0` means none (a CPU worker on a GPU machine).
 */
export function parseOpsbotGpus(raw: string): GpuDevice[] {
  function fail(why: string): never {
    throw new ConfigError([`OPSBOT_GPUS="${raw}" is not valid: ${why}; expected ${OPSBOT_GPUS_FORMAT}`]);
  }
  const value = raw.trim();
  if (/^\d+$/.test(value)) {
    const count = countSchema.safeParse(value);
    if (!count.success) return fail('a count is at most 64');
    return Array.from({ length: count.data }, (_, index) => ({ index, name: 'gpu' }));
  }
  const devices: GpuDevice[] = [];
  for (const [i, entry] of value.split(',').entries()) {
    const [index, name = 'gpu', memoryMiB, ...extra] = entry.trim().split(':');
    if (!index || extra.length > 0) fail(`entry ${i + 1} ("${entry.trim()}") is not index[:name[:memoryMiB]]`);
    const parsed = deviceSchema.safeParse({ index, name: name.trim(), memoryMiB: memoryMiB || undefined });
    if (!parsed.success) fail(`entry ${i + 1} ("${entry.trim()}"): ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const device = parsed.data;
    if (devices.some((d) => d.index === device.index)) fail(`GPU ${device.index} is listed twice`);
    devices.push(device.memoryMiB === undefined ? { index: device.index, name: device.name } : device);
  }
  return devices;
}
