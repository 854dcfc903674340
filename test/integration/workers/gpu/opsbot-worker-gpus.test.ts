import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OpsbotRuntime } from '../../../../app/runtime.js';
import { startDistributedBot, type DistributedBot } from '../../../helpers/distributed-bot.js';
import type { LocalChatDriver } from '../../../helpers/local-chat-driver.js';
import { OpsbotProcess } from '../../../helpers/opsbot-process.js';
import { writeSentimentCsv } from '../../../helpers/text-dataset.js';

const metricsTrainer = fileURLToPath(new URL('../../../fixtures/external-trainers/metrics-trainer.mjs', import.meta.url));

/**
 * The built-in trainer runs on CPU, so GPU jobs are for a model with an external trainer; the bot and its workers read this file.
 * Trainers see only an allow-listed environment, so the worker id the fixture records is passed through by name.
 */
function configureExternalTrainer(dir: string): void {
  const trainer = { command: `node ${metricsTrainer} --data {dataset} --epochs {epochs} --out {artifact}`, timeoutSeconds: 60, passEnv: ['OPSBOT_WORKER_ID'] };
  writeFileSync(join(dir, 'opsbot.config.json'), JSON.stringify({ models: { sentiment: { trainer } } }));
}

describe('`opsbot worker` processes with OPSBOT_GPUS', () => {
  let bot: DistributedBot;
  let dir: string;
  let runtime: OpsbotRuntime;
  let chat: LocalChatDriver;

  beforeEach(async () => {
    bot = await startDistributedBot({ prepare: configureExternalTrainer });
    ({ dir, runtime, chat } = bot);
  });

  afterEach(() => bot.stop());

  it('advertise the GPUs they declare, and a `--gpus 2` job runs on the worker with 2', async () => {
    writeSentimentCsv(dir, 300);
    await Promise.all([bot.startWorker('gpu-1', { OPSBOT_GPUS: '0:T4:15360' }), bot.startWorker('gpu-2', { OPSBOT_GPUS: '0:A100:40960,1:A100:40960' })]);
    // Adverts here live 2.5 s past their last renewal (the tests' short lock and stalled interval): on a loaded box one may lapse
    // for a moment, so read until every worker shows rather than once.
    let advertised = await runtime.queue.workers?.();
    for (let tries = 0; tries < 50 && (advertised?.length ?? 0) < 3; tries++) {
      await new Promise((done) => setTimeout(done, 200));
      advertised = await runtime.queue.workers?.();
    }
    // The bot's own worker for deploy, rollback and scale (the local target's servers are its children) takes no GPU jobs.
    const gpuWorkers = advertised?.filter((w) => !w.workerId.endsWith('-deploy'));
    expect(advertised?.filter((w) => w.workerId.endsWith('-deploy')).map((w) => w.gpus)).toEqual([[]]);
    expect(gpuWorkers?.map((w) => [w.workerId, w.gpus.map((g) => `${g.index}:${g.name}:${g.memoryMiB}`)])).toEqual([
      ['gpu-1', ['0:T4:15360']],
      ['gpu-2', ['0:A100:40960', '1:A100:40960']],
    ]);

    chat.type('train sentiment --dataset sentiment.csv --epochs 3 --gpus 2');
    const [, jobId] = await chat.waitFor(/Job (j-[0-9a-z]+): train sentiment on sentiment.csv — queued/);
    await chat.waitFor(new RegExp(`Job ${jobId}: train sentiment on sentiment.csv — completed`), 60_000);
    expect((await runtime.store.jobs.get(jobId as string))?.workerId).toBe('gpu-2');
    const [version] = await runtime.store.registry.listVersions('sentiment');
    const artifact = JSON.parse(readFileSync(resolve(join(dir, 'state'), version?.artifactPath ?? ''), 'utf8')) as Record<string, string>;
    expect(artifact).toMatchObject({ workerId: 'gpu-2', cudaVisibleDevices: '0,1', cudaDeviceOrder: 'PCI_BUS_ID' });
  }, 90_000);

  it('refuse to start with an invalid OPSBOT_GPUS, saying what is wrong', async () => {
    const worker = new OpsbotProcess(['worker'], { cwd: dir, env: { ...bot.env, OPSBOT_GPUS: '0:A100,0:A100' } });
    expect(await worker.exited).toBe(2);
    expect(worker.stderr).toMatch(/OPSBOT_GPUS="0:A100,0:A100" is not valid: GPU 0 is listed twice; expected a GPU count such as 2/);
  }, 30_000);
});
