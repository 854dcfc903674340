import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { externalTrainerSchema, type ExternalTrainerConfig } from '../../../../core/config/external-trainer.schema.js';
import { JobCancelledError, PermanentJobError, isPermanentFailure } from '../../../../core/index.js';
import { eventually } from '../../../helpers/eventually.js';
import { isAlive } from '../../../helpers/process-alive.js';
import { ExternalTrainerFailedError } from '../../../../workers/external/external-trainer-failed.error.js';
import { runExternalTrainer, type TrainerEpoch } from '../../../../workers/external/run-external-trainer.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/external-trainers/', import.meta.url));
const trainer = (script: string, extra: Partial<ExternalTrainerConfig> & { args?: string } = {}): ExternalTrainerConfig =>
  externalTrainerSchema.parse({
    command: `"${process.execPath}" "${join(FIXTURES, script)}" --data {dataset} --epochs {epochs} --out {artifact} ${extra.args ?? ''}`,
    timeoutSeconds: extra.timeoutSeconds ?? 30,
    killGraceSeconds: extra.killGraceSeconds ?? 5,
  });

describe('runExternalTrainer', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'opsbot-trainer-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (spec: ExternalTrainerConfig, overrides: { signal?: AbortSignal; gpus?: number[]; dataset?: string } = {}) => {
    const epochs: TrainerEpoch[] = [];
    const warnings: string[] = [];
    const result = runExternalTrainer(spec, {
      dataset: overrides.dataset ?? 'data/intents.csv',
      epochs: 3,
      artifactPath: 'artifacts/model.json',
      gpus: overrides.gpus ?? [1, 3],
      signal: overrides.signal ?? new AbortController().signal,
      onMetrics: (epoch) => void epochs.push(epoch),
      onWarning: (message) => void warnings.push(message),
      workDir: dir,
    });
    return { result, epochs, warnings };
  };

  it('streams metrics as epochs, warns about a malformed line and carries on, with the GPUs in CUDA_VISIBLE_DEVICES', async () => {
    const { result, epochs, warnings } = run(trainer('metrics-trainer.mjs', { args: '--malformed' }), { dataset: 'my data; rm -rf ~ $(x).csv' });
    const { history, artifactPath, warnings: returned } = await result;
    expect(epochs.map((e) => [e.point.epoch, e.totalEpochs])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(history[0]).toEqual({ epoch: 1, loss: 0.5, accuracy: 0.75, val_loss: 0.55, val_accuracy: 0.5 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/line 3 ignored: not valid JSON .*"loss": oops/);
    expect(returned).toEqual(warnings);
    expect(artifactPath).toBe(join(dir, 'artifacts/model.json'));
    const artifact = JSON.parse(readFileSync(artifactPath, 'utf8'));
    // One argv word, never seen by a shell.
    expect(artifact).toMatchObject({ data: 'my data; rm -rf ~ $(x).csv', cudaVisibleDevices: '1,3', cudaDeviceOrder: 'PCI_BUS_ID' });
  });

  it('hides every GPU from a CPU job', async () => {
    const { artifactPath } = await run(trainer('metrics-trainer.mjs'), { gpus: [] }).result;
    expect(JSON.parse(readFileSync(artifactPath, 'utf8')).cudaVisibleDevices).toBe('');
  });

  it('fails a crash with the last 20 lines of stderr in the message, as a retryable failure', async () => {
    const error = await run(trainer('crashing-trainer.mjs')).result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExternalTrainerFailedError);
    expect(isPermanentFailure(error)).toBe(false);
    const message = (error as ExternalTrainerFailedError).userMessage;
    expect(message).toMatch(/^The trainer exited with code 1\.\nLast lines of its stderr:\ntraceback line 12\n/);
    expect(message).toMatch(/traceback line 30\nRuntimeError: CUDA out of memory$/);
    expect(message).not.toMatch(/traceback line 11\n/);
  });

  it('stops a trainer that runs past its timeout, with a clear message', async () => {
    const error = await run(trainer('hanging-trainer.mjs', { timeoutSeconds: 0.5 })).result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentJobError);
    expect((error as PermanentJobError).userMessage).toMatch(/^The trainer ran longer than its timeout of 0.5 s and was stopped\.\nLast lines of its stderr:\nstill warming up$/);
  });

  it('kills a trainer that ignores SIGTERM once the grace period is over', async () => {
    const controller = new AbortController();
    const { result, epochs } = run(trainer('stubborn-trainer.mjs', { killGraceSeconds: 0.5 }), { signal: controller.signal });
    const settled = result.catch((e: unknown) => e);
    await eventually('the first epoch', () => epochs.length > 0);
    const pid = Number(readFileSync(join(dir, 'artifacts/model.json.pid'), 'utf8'));
    controller.abort();
    const error = await settled;
    expect(error).toBeInstanceOf(JobCancelledError);
    // Asked with SIGTERM first, which it ignored; then killed.
    expect(existsSync(join(dir, 'artifacts/model.json.sigterm'))).toBe(true);
    expect(isAlive(pid)).toBe(false);
  });

  it("gives the trainer none of opsbot's secrets: only the basics, the CUDA variables and what its config names", async () => {
    const planted = {
      SLACK_BOT_TOKEN: 'xoxb-secret',
      MICROSOFT_APP_PASSWORD: 'teams-secret',
      DATABASE_URL: 'postgres://user:secret@db/opsbot',
      REDIS_URL: 'redis://:secret@redis:6379',
      OPSBOT_PLAYGROUND_TOKEN: 'playground-secret',
      WANDB_API_KEY: 'wandb-key',
      NVIDIA_API_KEY: 'nvidia-secret',
      NVIDIA_DRIVER_CAPABILITIES: 'compute,utility',
      LC_ALL: 'C.UTF-8',
      TZ: 'Europe/Paris',
    };
    const saved = { ...process.env };
    Object.assign(process.env, planted);
    try {
      const spec = { ...trainer('env-reporting-trainer.mjs'), env: { HF_HOME: '/cache/hf' }, passEnv: ['WANDB_API_KEY', 'OPSBOT_UNSET_VARIABLE'] };
      const { artifactPath } = await run(spec, { gpus: [2] }).result;
      const seen = JSON.parse(readFileSync(artifactPath, 'utf8')) as Record<string, string>;
      for (const secret of ['SLACK_BOT_TOKEN', 'MICROSOFT_APP_PASSWORD', 'DATABASE_URL', 'REDIS_URL', 'OPSBOT_PLAYGROUND_TOKEN', 'NVIDIA_API_KEY']) expect(seen).not.toHaveProperty(secret);
      expect(Object.values(seen).join('\n')).not.toMatch(/secret/);
      expect(seen).not.toHaveProperty('OPSBOT_UNSET_VARIABLE');
      expect(seen).toMatchObject({
        PATH: process.env.PATH,
        WANDB_API_KEY: 'wandb-key',
        HF_HOME: '/cache/hf',
        NVIDIA_DRIVER_CAPABILITIES: 'compute,utility',
        LC_ALL: 'C.UTF-8',
        TZ: 'Europe/Paris',
        CUDA_VISIBLE_DEVICES: '2',
        CUDA_DEVICE_ORDER: 'PCI_BUS_ID',
      });
      if (process.env.HOME) expect(seen.HOME).toBe(process.env.HOME);
    } finally {
      for (const name of Object.keys(planted)) {
        if (name in saved) process.env[name] = saved[name];
        else delete process.env[name];
      }
    }
  });

  it('fails permanently when the command cannot start or writes no artifact', async () => {
    const missing = externalTrainerSchema.parse({ command: 'opsbot-no-such-trainer --out {artifact}' });
    await expect(run(missing).result).rejects.toThrow(/Could not start the trainer `opsbot-no-such-trainer`: .*ENOENT/);
    const silent = externalTrainerSchema.parse({ command: `"${process.execPath}" -e "" {artifact}` });
    await expect(run(silent).result).rejects.toThrow(/exited successfully but wrote no artifact at .*model\.json/);
  });
});
