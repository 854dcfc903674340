/**
 * @jest-environment ./test/helpers/onnx-environment.ts
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  NO_CHILDREN,
  actionLimitsFrom,
  defaultConfig,
  JobCancelledError,
  newJobId,
  silentLogger,
  type JobAction,
  type JobContext,
  type JobProcessor,
  type JobProgress,
  type JobResult,
  type StateStore,
} from '../../../../core/index.js';
import { openSqliteStateStore } from '../../../../store/index.js';
import { createJobRunner } from '../../../../workers/job-runner.js';
import { onnxParity } from '../../../../workers/onnx/onnx-parity.js';
import { loadTextModel } from '../../../../workers/training/index.js';
import { alice, terminal } from '../../../helpers/fixtures.js';
import { writeSentimentCsv } from '../../../helpers/text-dataset.js';
import { eventually } from '../../../helpers/eventually.js';
import { fixtureRows, REPO_ROOT, SPAM_FIXTURE, toCsv } from '../../../unit/workers/training/training-fixtures.js';

/** train and quantize through the real job runner and registry, on the SpamAssassin fixture. */
describe('train and quantize handlers', () => {
  let dir: string;
  let store: StateStore;
  let runner: JobProcessor;
  const progress: JobProgress[] = [];

  const run = async (action: JobAction, signal = new AbortController().signal): Promise<JobResult> => {
    const jobId = newJobId();
    await store.jobs.create({ id: jobId, kind: action.action, args: action.args, requestedBy: alice, conversation: terminal, text: 'typed' });
    const context: JobContext = { attempt: 1, willRetryOnFailure: false, workerId: 'w-test', children: NO_CHILDREN, signal, reportProgress: async (p) => void progress.push(p) };
    return runner({ jobId, action, requestedBy: alice, conversation: terminal }, context);
  };
  const version = async (model: string, n: number) => {
    const v = await store.registry.getVersion(model, n);
    if (!v) throw new Error(`${model} v${n} is not registered`);
    return v;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-train-'));
    copyFileSync(join(REPO_ROOT, SPAM_FIXTURE), join(dir, 'spam.csv'));
    store = openSqliteStateStore(':memory:');
    const config = defaultConfig();
    runner = createJobRunner({ store, dataDir: join(dir, 'state'), workDir: dir, log: silentLogger, limits: actionLimitsFrom(config) });
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('train: registers v1 with metrics, hyperparameters and who asked, writes a matching ONNX file, and offers evaluate and deploy', async () => {
    const result = await run({ action: 'train', args: { model: 'spam', dataset: 'spam.csv', epochs: 6 } });
    expect(result.summary).toMatch(/^Trained spam v1 on 300 examples \(2 labels, softmax\) in \d+\.\d s: test accuracy \d+\.\d\d%, macro F1 0\.\d{3}\./);
    expect(result.nextSteps).toEqual([
      { label: 'Evaluate v1', command: 'evaluate spam v1' },
      { label: 'Deploy v1 to staging', command: 'deploy spam v1 to staging' },
    ]);
    expect(result.history?.length).toBeGreaterThan(0);
    expect(Object.keys(result.history?.[0] ?? {})).toEqual(['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy']);
    expect(result.details).toMatchObject({ version: 'v1', algorithm: 'softmax', mode: 'full', 'train / validation / test': '210 / 30 / 60', 'class balance': 'ham 150 (50.0%), spam 150 (50.0%)' });
    expect(progress.filter((p) => p.metrics).map((p) => Object.keys(p.metrics ?? {}))).toContainEqual(['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy']);

    const v1 = await version('spam', 1);
    expect(v1).toMatchObject({ createdBy: 'local:alice', dataset: 'spam.csv', conversation: terminal });
    expect(v1.datasetHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(v1.metrics)).toEqual(expect.arrayContaining(['val_accuracy', 'val_loss', 'val_macro_f1', 'test_accuracy', 'test_macro_f1', 'test_loss']));
    expect(v1.metrics.test_accuracy).toBeGreaterThanOrEqual(0.8);
    expect(v1.params).toMatchObject({ algorithm: 'softmax', mode: 'full', precision: 'fp32', optimizer: 'adam', seed: 42, trainedBy: 'alice', labels: ['ham', 'spam'] });
    const onnx = join(dir, 'state', dirname(v1.artifactPath), 'model.onnx');
    expect(existsSync(onnx)).toBe(true);
    expect(await onnxParity(await loadTextModel(join(dir, 'state'), v1), onnx, fixtureRows().map((r) => r.text))).toBeLessThanOrEqual(1e-5);
  });

  it('quantize: registers an INT8 v2 at ≤ 30% of the size, within 1 point of accuracy, with the latency of both', async () => {
    const result = await run({ action: 'quantize', args: { model: 'spam', version: '1' } });
    expect(result.summary).toMatch(/^Quantized spam v1 to INT8 as v2: 2\d\.\d% of the FP32 size, test accuracy \d+\.\d\d% \([+−]\d\.\d\d pt\), batch-1 latency/);
    expect(Math.abs(Number(result.details?.['accuracy delta (pt)']))).toBeLessThanOrEqual(1);
    expect(Object.keys(result.details ?? {})).toEqual(expect.arrayContaining(['ONNX size', 'test accuracy', 'latency p50, batch 1', 'latency p99, batch 1']));
    const v2 = await version('spam', 2);
    expect(v2.params).toMatchObject({ quantized: 'int8', from: 1, algorithm: 'softmax' });
    expect(v2.metrics.size_ratio).toBeLessThanOrEqual(0.3);
    const int8 = await loadTextModel(join(dir, 'state'), v2);
    expect(int8.precision).toBe('int8');
    expect(await onnxParity(int8, join(dir, 'state', dirname(v2.artifactPath), 'model.onnx'), fixtureRows().map((r) => r.text))).toBeLessThanOrEqual(1e-5);
    await expect(run({ action: 'quantize', args: { model: 'spam', version: '2' } })).rejects.toThrow(/spam v2 is already INT8 \(quantized from v1\)/);
  });

  it('train --mode incremental continues from the latest FP32 version, not its INT8 copy; --mode finetune learns new labels from another model', async () => {
    const incremental = await run({ action: 'train', args: { model: 'spam', dataset: 'spam.csv', epochs: 2, mode: 'incremental' } });
    expect(incremental.summary).toMatch(/^Trained spam v3 on 300 examples \(2 labels, softmax from spam v1 \(incremental\)\)/);
    const v1 = await version('spam', 1);
    expect(incremental.history?.[0]?.loss).toBeLessThan(((await run({ action: 'train', args: { model: 'scratch', dataset: 'spam.csv', epochs: 1 } })).history?.[0]?.loss ?? 0) / 2);
    expect((await version('spam', 3)).params).toMatchObject({ mode: 'incremental', base: 'spam v1' });
    expect(v1.params.mode).toBe('full');

    const family = (group: string) => (group.startsWith('spam') ? 'spam' : group.startsWith('hard') ? 'hard-ham' : 'easy-ham');
    writeFileSync(join(dir, 'families.csv'), toCsv(['text', 'label'], fixtureRows().map((r) => [r.text, family(r.group)])));
    const tuned = await run({ action: 'train', args: { model: 'families', dataset: 'families.csv', epochs: 3, mode: 'finetune', base: 'spam' } });
    expect(tuned.summary).toMatch(/^Trained families v1 on 300 examples \(3 labels, softmax from spam v3 \(finetune\)\)/);
    expect((await version('families', 1)).params).toMatchObject({ mode: 'finetune', base: 'spam v3', labels: ['easy-ham', 'hard-ham', 'spam'] });
  });

  it('cancelling a running train stops it with JobCancelledError and records the job as cancelled', async () => {
    writeSentimentCsv(dir, 30_000, 'big.csv');
    const controller = new AbortController();
    const jobs = store.jobs;
    const running = run({ action: 'train', args: { model: 'big', dataset: 'big.csv', epochs: 200 } }, controller.signal);
    await eventually('the first epoch', () => progress.some((p) => p.message.startsWith('epoch 1/200')), 30_000);
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(JobCancelledError);
    // Stopped mid-run: it never reported its last epoch.
    expect(progress.some((p) => p.message.startsWith('epoch 200/200'))).toBe(false);
    const [job] = await jobs.list({ limit: 1 });
    expect(job?.status).toBe('cancelled');
    expect(await store.registry.listVersions('big')).toEqual([]);
  });
});
