import { startEmbeddedBot, type EmbeddedBot } from '../../../helpers/embedded-bot.js';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OpsbotRuntime } from '../../../../app/runtime.js';
import type { LocalChatDriver } from '../../../helpers/local-chat-driver.js';
import { writeSentimentCsv } from '../../../helpers/text-dataset.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/external-trainers/${name}`, import.meta.url));

describe('train <model> for a model configured with an external trainer', () => {
  let bot: EmbeddedBot;
  let dir: string;
  let runtime: OpsbotRuntime;
  let chat: LocalChatDriver;

  beforeEach(async () => {
    bot = await startEmbeddedBot({
      prepare: (d) => writeSentimentCsv(d, 50),
      configure: (config) => {
        config.models = {
          'bert-intents': {
            trainer: { command: `node ${fixture('metrics-trainer.mjs')} --data {dataset} --epochs {epochs} --out {artifact} --malformed`, timeoutSeconds: 30, env: {}, passEnv: [], killGraceSeconds: 1 },
          },
          'broken-model': { trainer: { command: `node ${fixture('crashing-trainer.mjs')}`, timeoutSeconds: 30, env: {}, passEnv: [], killGraceSeconds: 1 } },
        };
      },
    });
    ({ dir, runtime, chat } = bot);
  });

  afterEach(() => bot.stop());

  it('runs the program, streams its metrics as progress and registers its artifact as a version', async () => {
    chat.type('train bert-intents --dataset sentiment.csv --epochs 3');
    await chat.waitFor(/Trained bert-intents v1 with its external trainer in [\d.]+ s \(3 epochs\)\. 1 malformed output line\(s\) were skipped/);
    const [version] = await runtime.store.registry.listVersions('bert-intents');
    expect(version?.params).toMatchObject({ trainer: 'external', epochsRun: 3 });
    expect(version?.metrics.val_accuracy).toBeCloseTo(0.75);
    const artifact = JSON.parse(readFileSync(resolve(join(dir, 'state'), version?.artifactPath ?? ''), 'utf8')) as { data: string; cudaVisibleDevices: string };
    expect(artifact).toMatchObject({ data: 'sentiment.csv', cudaVisibleDevices: '' });
    const job = (await runtime.store.jobs.list({ limit: 1 }))[0];
    expect(job?.result?.history?.map((p) => p.epoch)).toEqual([1, 2, 3]);

    chat.type('evaluate bert-intents v1');
    await chat.waitFor(/bert-intents v1 was made by its own external trainer, whose artifact opsbot cannot run/);
  }, 30_000);

  it('reports a crashing trainer with the tail of its stderr', async () => {
    chat.type('train broken-model --dataset sentiment.csv');
    await chat.waitFor(/— failed\n[^\n]*exit[\s\S]*RuntimeError: CUDA out of memory/, 30_000);
    expect(await runtime.store.registry.listVersions('broken-model')).toEqual([]);
  }, 40_000);
});
