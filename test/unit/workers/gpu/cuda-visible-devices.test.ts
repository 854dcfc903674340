import { visibleGpus } from '../../../../workers/gpu/cuda-visible-devices.js';
import type { NvidiaSmiGpu } from '../../../../workers/gpu/nvidia-smi.js';

const gpu = (index: number, uuid: string, name = 'NVIDIA A100-SXM4-80GB'): NvidiaSmiGpu => ({ index, uuid, name, memoryMiB: 81920 });
const machine = [
  gpu(0, 'GPU-8932f937-d72c-4106-c12f-20bd9faed9f6'),
  gpu(1, 'GPU-8932aa01-0000-4106-c12f-20bd9faed9f6'),
  gpu(2, 'GPU-1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d'),
  gpu(3, 'GPU-77aa0000-1111-4222-8333-444455556666'),
];

describe('an inherited CUDA_VISIBLE_DEVICES', () => {
  it('leaves every GPU when unset', () => {
    expect(visibleGpus(machine, {})).toEqual({ gpus: machine });
  });

  it.each([
    ['2,3', [2, 3]],
    [' 3 , 1 ', [1, 3]],
    ['GPU-1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d,0', [0, 2]],
    ['GPU-77aa', [3]],
    ['', []],
    ['-1', []],
    ['0,2,-1,1', [0, 2]],
  ])('%j limits the GPUs to %j (in nvidia-smi order), silently', (value, expected) => {
    const visible = visibleGpus(machine, { CUDA_VISIBLE_DEVICES: value });
    expect(visible.gpus.map((g) => g.index)).toEqual(expected);
    expect(visible.warning).toBeUndefined();
  });

  it.each([
    ['0,9,1', [0], '"9"', 'uses GPUs 0 only'],
    ['GPU-8932,2', [], '"GPU-8932"', 'uses no GPUs'],
    ['MIG-GPU-8932f937-d72c-4106-c12f-20bd9faed9f6/1/0', [], '"MIG-GPU-8932f937-d72c-4106-c12f-20bd9faed9f6/1/0"', 'uses no GPUs'],
  ])('%j: like CUDA, stops at an entry that names no single GPU, and says so', (value, expected, entry, uses) => {
    const visible = visibleGpus(machine, { CUDA_VISIBLE_DEVICES: value });
    expect(visible.gpus.map((g) => g.index)).toEqual(expected);
    expect(visible.warning).toContain(`CUDA_VISIBLE_DEVICES="${value}": ${entry} names none of the GPUs nvidia-smi lists (0 GPU-8932f937-d72c-4106-c12f-20bd9faed9f6, 1 GPU-8932aa01`);
    expect(visible.warning).toContain(`ignores it and the entries after it and ${uses}; set OPSBOT_GPUS to declare its GPUs instead`);
  });

  it('warns that indexes may not be nvidia-smi indexes on a machine with mixed GPUs, unless CUDA_DEVICE_ORDER=PCI_BUS_ID', () => {
    const mixed = [gpu(0, 'GPU-aa', 'Tesla T4'), gpu(1, 'GPU-bb')];
    const visible = visibleGpus(mixed, { CUDA_VISIBLE_DEVICES: '1' });
    expect(visible.gpus.map((g) => g.index)).toEqual([1]);
    expect(visible.warning).toBe(
      'CUDA_VISIBLE_DEVICES="1" names GPUs by index, which CUDA counts fastest first unless CUDA_DEVICE_ORDER=PCI_BUS_ID, and this machine has GPUs of different models; opsbot read them as nvidia-smi\'s indexes (GPUs 1 only), so set CUDA_DEVICE_ORDER=PCI_BUS_ID or name GPUs by UUID (nvidia-smi -L) to be sure',
    );
    expect(visibleGpus(mixed, { CUDA_VISIBLE_DEVICES: '1', CUDA_DEVICE_ORDER: 'PCI_BUS_ID' }).warning).toBeUndefined();
    expect(visibleGpus(mixed, { CUDA_VISIBLE_DEVICES: 'GPU-bb' }).warning).toBeUndefined();
  });
});
