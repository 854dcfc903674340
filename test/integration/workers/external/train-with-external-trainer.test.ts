import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOpsbotRuntime, type OpsbotRuntime } from '../../../../app/runtime.js';
import { loadConfig, silentLogger } from '../../../../core/index.js';
import { alice } from '../../../helpers/fixtures.js';
import { LocalChatDriver } from '../../../helpers/local-chat-driver.js';
import { writeSentimentCsv } from '../../../helpers/text-dataset.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/external-trainers/${name}`, import.meta.url));

describe('train <model> for a model configured with an external trainer', () => {
  let dir: string;
  let runtime: OpsbotRuntime;
  let chat: LocalChatDriver;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-external-'));
    writeSentimentCsv(dir, 50);
    const { config } = loadConfig({ OPSBOT_DATA_DIR: join(dir, 'state'), OPSBOT_JOB_BACKOFF_MS: '50' }, dir);
    config.models = {
      'bert-intents': { trainer: { command: `node ${fixture('metrics-trainer.mjs')} --data {dataset} --epochs {epochs} --out {artifact} --malformed`, timeoutSeconds: 30, env: {}, killGraceSeconds: 1 } },
      'broken-model': { trainer: { command: `node ${fixture('crashing-trainer.mjs')}`, timeoutSeconds: 30, env: {}, killGraceSeconds: 1 } },
    };
    chat = new LocalChatDriver();
    runtime = await createOpsbotRuntime({ config, chat: chat.chat, log: silentLogger, workDir: dir });
    chat.start(alice, (command) => runtime.dispatcher.handle(command));
  });

  afterEach(async () => {
    await chat.end();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

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
