/**
 * @jest-environment ./test/helpers/onnx-environment.ts
 */
import { symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OpsbotRuntime } from '../../../../app/runtime.js';
import { ensureSpamAssassinExport, SPAM_ASSASSIN_FILES } from '../../../../scripts/export-spam-assassin.js';
import { onnxParity } from '../../../../workers/onnx/onnx-parity.js';
import { TRAINING_CURVE_SIZE } from '../../../../workers/charts/index.js';
import { OnnxTextSession } from '../../../../workers/onnx/onnx-text-session.js';
import { argmax } from '../../../../workers/training/network/text-network.js';
import { loadTextDataset, loadTextModel, splitDataset } from '../../../../workers/training/index.js';
import { eventually } from '../../../helpers/eventually.js';
import { startDistributedBot, type DistributedBot } from '../../../helpers/distributed-bot.js';
import type { LocalChatDriver } from '../../../helpers/local-chat-driver.js';
import { decodePng, pixelStats } from '../../../helpers/png.js';

/**
 * The real public dataset end to end: a typed `train` becomes a BullMQ job on Redis,
 * an `opsbot worker` process (bin/opsbot.js, so the compiled dist/ and its training
 * process, as in production) trains on the 4,232 training emails of the fixed SpamAssassin split, and
 * the registered ONNX model predicts the 1,209 test emails as the trainer does.
 */
describe('SpamAssassin through BullMQ and an opsbot worker process', () => {
  let bot: DistributedBot;
  let dir: string;
  let runtime: OpsbotRuntime;
  let chat: LocalChatDriver;

  beforeAll(async () => {
    const exported = await ensureSpamAssassinExport();
    bot = await startDistributedBot({ prepare: (d) => symlinkSync(join(exported, SPAM_ASSASSIN_FILES.parquet), join(d, 'spam.parquet')) });
    ({ dir, runtime, chat } = bot);
  }, 60_000);

  afterAll(() => bot.stop());

  it('trains to ≥ 98.5% test accuracy, registers v1, and its ONNX file predicts as the trainer does', async () => {
    await bot.startWorker('trainer-1');
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

    // The training curve is posted as a real PNG once the job completes, and again on `curve <job-id>`.
    const curves = () =>
      chat.chat
        .history()
        .flatMap((m) => m.message.blocks)
        .flatMap((b) => (b.type === 'image' && b.title?.startsWith(`Training curve of spam (${jobId})`) ? [b.png] : []));
    await eventually('the curve posted after training', () => curves().length === 1);
    chat.type(`curve ${jobId}`);
    await eventually('the curve posted on request', () => curves().length === 2);
    for (const png of curves()) {
      const decoded = decodePng(png);
      expect([decoded.width, decoded.height]).toEqual([TRAINING_CURVE_SIZE.width, TRAINING_CURVE_SIZE.height]);
      // Lines, text and grid: not a blank image.
      const { foreground, colours } = pixelStats(decoded);
      expect(foreground).toBeGreaterThan(decoded.width * decoded.height * 0.02);
      expect(colours).toBeGreaterThan(20);
    }
  }, 120_000);
});
