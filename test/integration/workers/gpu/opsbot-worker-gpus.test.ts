import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpsbotRuntime, type OpsbotRuntime } from '../../../../app/runtime.js';
import { loadConfig, silentLogger } from '../../../../core/index.js';
import { alice } from '../../../helpers/fixtures.js';
import { LocalChatDriver } from '../../../helpers/local-chat-driver.js';
import { OpsbotProcess } from '../../../helpers/opsbot-process.js';
import { deleteKeys, REDIS_URL, uniquePrefix } from '../../../helpers/redis.js';
import { writeSentimentCsv } from '../../../helpers/text-dataset.js';

describe('`opsbot worker` processes with OPSBOT_GPUS', () => {
  let dir: string;
  let env: Record<string, string>;
  let runtime: OpsbotRuntime;
  let chat: LocalChatDriver;
  const workers: OpsbotProcess[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-gpu-e2e-'));
    env = {
      REDIS_URL,
      OPSBOT_QUEUE_PREFIX: uniquePrefix('gpu-e2e'),
      OPSBOT_DATA_DIR: join(dir, 'state'),
      OPSBOT_LOCK_DURATION_MS: '1500',
      OPSBOT_STALLED_INTERVAL_MS: '1000',
      OPSBOT_LOG_LEVEL: 'info',
    };
    chat = new LocalChatDriver();
    const { config } = loadConfig(env, dir);
    runtime = await createOpsbotRuntime({ config, chat: chat.chat, log: silentLogger, workDir: dir });
    chat.start(alice, (command) => runtime.dispatcher.handle(command));
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop('SIGKILL')));
    await chat.end();
    await runtime.close();
    await deleteKeys(env.OPSBOT_QUEUE_PREFIX as string);
    rmSync(dir, { recursive: true, force: true });
  });

  it('advertise the GPUs they declare, and a `--gpus 2` job runs on the worker with 2', async () => {
    writeSentimentCsv(dir, 300);
    workers.push(
      ...(await Promise.all([
        OpsbotProcess.worker(dir, { ...env, OPSBOT_GPUS: '0:T4:15360' }, 'gpu-1'),
        OpsbotProcess.worker(dir, { ...env, OPSBOT_GPUS: '0:A100:40960,1:A100:40960' }, 'gpu-2'),
      ])),
    );
    const advertised = await runtime.queue.workers?.();
    expect(advertised?.map((w) => [w.workerId, w.gpus.map((g) => `${g.index}:${g.name}:${g.memoryMiB}`)])).toEqual([
      ['gpu-1', ['0:T4:15360']],
      ['gpu-2', ['0:A100:40960', '1:A100:40960']],
    ]);

    chat.type('train sentiment --dataset sentiment.csv --epochs 3 --gpus 2');
    const [, jobId] = await chat.waitFor(/Job (j-[0-9a-z]+): train sentiment on sentiment.csv — queued/);
    await chat.waitFor(new RegExp(`Job ${jobId}: train sentiment on sentiment.csv — completed`), 60_000);
    expect((await runtime.store.jobs.get(jobId as string))?.workerId).toBe('gpu-2');
  }, 90_000);

  it('refuse to start with an invalid OPSBOT_GPUS, saying what is wrong', async () => {
    const worker = new OpsbotProcess(['worker'], { cwd: dir, env: { ...env, OPSBOT_GPUS: '0:A100,0:A100' } });
    expect(await worker.exited).toBe(2);
    expect(worker.stderr).toMatch(/OPSBOT_GPUS="0:A100,0:A100" is not valid: GPU 0 is listed twice; expected a GPU count such as 2/);
  }, 30_000);
});
