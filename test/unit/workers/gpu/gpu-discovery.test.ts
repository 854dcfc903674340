import { ConfigError } from '../../../../core/index.js';
import { discoverGpus } from '../../../../workers/gpu/discover-gpus.js';
import { parseNvidiaSmi } from '../../../../workers/gpu/nvidia-smi.js';
import { parseOpsbotGpus } from '../../../../workers/gpu/opsbot-gpus.js';

describe('OPSBOT_GPUS', () => {
  it.each([
    ['2', [{ index: 0, name: 'gpu' }, { index: 1, name: 'gpu' }]],
    ['0', []],
    ['0:A100:40960,1:A100:40960', [{ index: 0, name: 'A100', memoryMiB: 40960 }, { index: 1, name: 'A100', memoryMiB: 40960 }]],
    [' 1 , 3:H100 ', [{ index: 1, name: 'gpu' }, { index: 3, name: 'H100' }]],
  ])('reads %j', (raw, devices) => {
    expect(parseOpsbotGpus(raw)).toEqual(devices);
  });

  it.each([
    ['65', /a count is at most 64/],
    ['0:A100,0:A100', /GPU 0 is listed twice/],
    ['a:A100', /entry 1 \("a:A100"\): the index must be a number/],
    ['0:A100:lots', /entry 1 \("0:A100:lots"\): memory must be a number of MiB/],
    ['0:A100:1:2', /entry 1 \("0:A100:1:2"\) is not index\[:name\[:memoryMiB\]\]/],
    ['0,,1', /entry 2 \(""\)/],
  ])('refuses %j with a clear message', (raw, why) => {
    const error = (() => {
      try {
        parseOpsbotGpus(raw);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]).toMatch(why);
    expect((error as ConfigError).problems[0]).toMatch(/expected a GPU count such as 2 .* 0:A100:40960,1:A100:40960$/);
  });
});

describe('nvidia-smi', () => {
  it('parses its CSV, with or without units', () => {
    const output = '0, GPU-5f1c3e2a-0b1d-4c7e-9a55-0e6f2b1c9d01, NVIDIA H100 80GB HBM3, 81559 MiB, 1 MiB\n1, GPU-aa2, NVIDIA A100-SXM4-40GB, 40960, 30000\n';
    expect(parseNvidiaSmi(output)).toEqual([
      { index: 0, uuid: 'GPU-5f1c3e2a-0b1d-4c7e-9a55-0e6f2b1c9d01', name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559, memoryUsedMiB: 1 },
      { index: 1, uuid: 'GPU-aa2', name: 'NVIDIA A100-SXM4-40GB', memoryMiB: 40960, memoryUsedMiB: 30000 },
    ]);
    expect(() => parseNvidiaSmi('No devices were found')).toThrow(/unexpected nvidia-smi line/);
  });

  it('reads memory it cannot report ([N/A] on MIG and vGPU, [Not Supported]) as unknown, keeping the GPU', () => {
    const output = '0, GPU-aa1, NVIDIA A100-SXM4-40GB MIG 3g.20gb, [N/A], [N/A]\n1, GPU-bb2, GRID T4-8Q, 8192 MiB, [Not Supported]\n';
    expect(parseNvidiaSmi(output)).toStrictEqual([
      { index: 0, uuid: 'GPU-aa1', name: 'NVIDIA A100-SXM4-40GB MIG 3g.20gb' },
      { index: 1, uuid: 'GPU-bb2', name: 'GRID T4-8Q', memoryMiB: 8192 },
    ]);
  });
});

describe('discoverGpus', () => {
  const smi = async () => [{ index: 0, uuid: 'GPU-aa1', name: 'H100', memoryMiB: 81559, memoryUsedMiB: 5 }];

  it('prefers OPSBOT_GPUS, even 0, over nvidia-smi', async () => {
    expect(await discoverGpus({ OPSBOT_GPUS: '0' }, smi)).toEqual({ devices: [], source: 'OPSBOT_GPUS' });
    expect((await discoverGpus({ OPSBOT_GPUS: '1' }, smi)).devices).toEqual([{ index: 0, name: 'gpu' }]);
  });

  it('asks nvidia-smi otherwise, and finds none without it', async () => {
    expect(await discoverGpus({}, smi)).toMatchObject({ devices: [{ index: 0, name: 'H100', memoryMiB: 81559 }], source: 'nvidia-smi' });
    expect(await discoverGpus({ OPSBOT_GPUS: '' }, async () => undefined)).toEqual({ devices: [], source: 'none' });
  });

  it('hands out a GPU whose memory nvidia-smi cannot report, advertised without memory', async () => {
    const mig = async () => [{ index: 0, uuid: 'GPU-aa1', name: 'NVIDIA A100-SXM4-40GB MIG 3g.20gb' }];
    expect(await discoverGpus({}, mig)).toStrictEqual({
      devices: [{ index: 0, name: 'NVIDIA A100-SXM4-40GB MIG 3g.20gb' }],
      source: 'nvidia-smi',
      nvidiaSmi: [{ index: 0, uuid: 'GPU-aa1', name: 'NVIDIA A100-SXM4-40GB MIG 3g.20gb' }],
    });
  });

  it('hands out only the GPUs an inherited CUDA_VISIBLE_DEVICES names, and warns about one it cannot find', async () => {
    const four = async () => [0, 1, 2, 3].map((index) => ({ index, uuid: `GPU-${index}aa`, name: 'A100' }));
    expect(await discoverGpus({ CUDA_VISIBLE_DEVICES: '2,3' }, four)).toMatchObject({ devices: [{ index: 2 }, { index: 3 }], source: 'nvidia-smi' });
    expect((await discoverGpus({ CUDA_VISIBLE_DEVICES: '2,3' }, four)).nvidiaSmi?.map((gpu) => gpu.index)).toEqual([2, 3]);
    const typo = await discoverGpus({ CUDA_VISIBLE_DEVICES: '1,7' }, four);
    expect(typo.devices.map((d) => d.index)).toEqual([1]);
    expect(typo.warning).toMatch(/^CUDA_VISIBLE_DEVICES="1,7": "7" names none of the GPUs nvidia-smi lists .* uses GPUs 1 only; set OPSBOT_GPUS/);
    // OPSBOT_GPUS is a declaration and is taken as it is.
    expect((await discoverGpus({ CUDA_VISIBLE_DEVICES: '2,3', OPSBOT_GPUS: '1' }, four)).devices).toEqual([{ index: 0, name: 'gpu' }]);
  });

  it('warns, with no GPUs, when nvidia-smi exists but fails', async () => {
    const broken = async () => {
      throw new Error('NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver');
    };
    expect(await discoverGpus({}, broken)).toEqual({ devices: [], source: 'none', warning: expect.stringMatching(/nvidia-smi failed, so this process uses no GPUs: NVIDIA-SMI has failed/) });
  });
});
