/**
 * @jest-environment ./test/helpers/onnx-environment.ts
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createOpsbotRuntime, type OpsbotRuntime } from '../../../../app/runtime.js';
import { loadConfig, silentLogger } from '../../../../core/index.js';
import { ensureSpamAssassinExport, SPAM_ASSASSIN_FILES } from '../../../../scripts/export-spam-assassin.js';
import { onnxParity } from '../../../../workers/onnx/onnx-parity.js';
import { OnnxTextSession } from '../../../../workers/onnx/onnx-text-session.js';
import { argmax } from '../../../../workers/training/network/text-network.js';
import { loadTextDataset, loadTextModel, splitDataset } from '../../../../workers/training/index.js';
import { alice } from '../../../helpers/fixtures.js';
import { LocalChatDriver } from '../../../helpers/local-chat-driver.js';
import { OpsbotProcess } from '../../../helpers/opsbot-process.js';
import { deleteKeys, REDIS_URL, uniquePrefix } from '../../../helpers/redis.js';

/**
 * The real public dataset end to end: a typed `train` becomes a BullMQ job on Redis,
 * an `opsbot worker` process (bin/opsbot.js, so the training thread runs under tsx
 * there too) trains on the 4,232 training emails of the fixed SpamAssassin split, and
 * the registered ONNX model predicts the 1,209 test emails as the trainer does.
 */
describe('SpamAssassin through BullMQ and an opsbot worker process', () => {
  let dir: string;
  let env: Record<string, string>;
  let runtime: OpsbotRuntime;
  let chat: LocalChatDriver;
  let worker: OpsbotProcess | undefined;

  beforeAll(async () => {
    const exported = await ensureSpamAssassinExport();
    dir = mkdtempSync(join(tmpdir(), 'opsbot-spam-'));
    symlinkSync(join(exported, SPAM_ASSASSIN_FILES.parquet), join(dir, 'spam.parquet'));
    env = { REDIS_URL, OPSBOT_QUEUE_PREFIX: uniquePrefix('spam'), OPSBOT_DATA_DIR: join(dir, 'state'), OPSBOT_LOG_LEVEL: 'info' };
    const { config } = loadConfig(env, dir);
    chat = new LocalChatDriver();
    runtime = await createOpsbotRuntime({ config, chat: chat.chat, log: silentLogger, workDir: dir });
    chat.start(alice, (command) => runtime.dispatcher.handle(command));
  }, 60_000);

  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await chat.end();
    await runtime.close();
    await deleteKeys(env.OPSBOT_QUEUE_PREFIX as string);
    rmSync(dir, { recursive: true, force: true });
  });

  it('trains to ≥ 98.5% test accuracy, registers v1, and its ONNX file predicts as the trainer does', async () => {
    worker = await OpsbotProcess.worker(dir, env, 'trainer-1');
    chat.type('train spam --dataset spam.parquet --epochs 10');
    const [, jobId] = await chat.waitFor(/Job (j-[0-9a-z]+): train spam on spam.parquet — queued/);
    await chat.waitFor(new RegExp(`Job ${jobId}: train spam on spam.parquet — (completed|failed)`), 90_000);
    expect(chat.text).toMatch(/Trained spam v1 on 6046 examples \(2 labels, softmax\)/);

    const [v1] = await runtime.store.registry.listVersions('spam');
    expect(v1).toMatchObject({ version: 1, jobId, dataset: 'spam.parquet', createdBy: 'local:alice' });
    expect(v1?.metrics.test_accuracy).toBeGreaterThanOrEqual(0.985);
    expect(v1?.params).toMatchObject({ algorithm: 'softmax', mode: 'full', classBalance: { ham: { test: 830 }, spam: { test: 379 } } });

    const dataDir = join(dir, 'state');
    const model = await loadTextModel(dataDir, v1 as NonNullable<typeof v1>);
    const test = splitDataset((await loadTextDataset('spam.parquet', dir)).examples).test;
    expect(test).toHaveLength(1209);
    const onnx = join(dataDir, dirname(v1?.artifactPath ?? ''), 'model.onnx');
    expect(await onnxParity(model, onnx, test.map((e) => e.text))).toBeLessThanOrEqual(1e-5);
    const session = await OnnxTextSession.load(onnx, model.labels.length);
    const probabilities = await session.predict(test.map((e) => model.featurizer.featurize(e.text)));
    await session.close();
    const correct = probabilities.filter((p, i) => model.labels[argmax(p)] === test[i]?.label).length;
    expect(correct / test.length).toBeCloseTo(v1?.metrics.test_accuracy ?? 0, 10);
  }, 120_000);
});
