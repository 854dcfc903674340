/**
 * @jest-environment ./test/helpers/onnx-environment.ts
 */
import { JobCancelledError, PermanentJobError } from '../../../../core/index.js';
import { runTrainingProcess, trainTextModel, TrainingProcessCrashedError, type TrainingEvent } from '../../../../workers/training/index.js';
import { writeSentimentCsv } from '../../../helpers/text-dataset.js';
import { fixtureRequest, tempDir } from './training-fixtures.js';

describe('training in a child process', () => {
  it('runs the same training as in-thread, posting stages then every epoch in order', async () => {
    const events: TrainingEvent[] = [];
    const outcome = await runTrainingProcess(fixtureRequest({ epochs: 3 }), { onEvent: (e) => events.push(e) });
    const direct = await trainTextModel(fixtureRequest({ epochs: 3 }));
    expect(outcome.history).toEqual(direct.history);
    expect(outcome.network.layers[0]?.weights).toBeInstanceOf(Float32Array);
    expect(events.filter((e) => e.type === 'stage').map((e) => (e.type === 'stage' ? e.message : ''))).toEqual([
      'loading test/fixtures/spam-small.csv',
      'featurising 300 texts',
      'training softmax on 210 examples',
    ]);
    expect(events.flatMap((e) => (e.type === 'epoch' ? [e.metrics.epoch] : []))).toEqual(outcome.history.map((m) => m.epoch));
  });

  it('keeps the event loop free while it trains', async () => {
    let ticks = 0;
    let ticksDuringEpochs = 0;
    const timer = setInterval(() => ticks++, 10);
    let firstEpochAt: number | undefined;
    await runTrainingProcess(fixtureRequest({ epochs: 20, algorithm: 'mlp', settings: { patience: 20 } }), {
      onEvent: (event) => {
        if (event.type !== 'epoch') return;
        firstEpochAt ??= ticks;
        ticksDuringEpochs = ticks - firstEpochAt;
      },
    });
    clearInterval(timer);
    // Timers fired between the epochs: the epochs ran on another thread, not in this event loop.
    expect(ticksDuringEpochs).toBeGreaterThan(0);
  });

  it('kills the process on a cancel, with JobCancelledError once it is gone, and reports nothing after', async () => {
    const { dir, remove } = tempDir();
    try {
      writeSentimentCsv(dir, 30_000);
      const controller = new AbortController();
      let cancelled = false;
      let eventsAfterCancel = 0;
      const run = runTrainingProcess(
        { datasetPath: 'sentiment.csv', workDir: dir, mode: 'full', epochs: 500, seed: 1, settings: { patience: 500 } },
        {
          signal: controller.signal,
          onEvent: (event) => {
            if (cancelled) eventsAfterCancel++;
            else if (event.type === 'epoch') {
              cancelled = true;
              controller.abort();
            }
          },
        },
      );
      await expect(run).rejects.toBeInstanceOf(JobCancelledError);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(eventsAfterCancel).toBe(0);
    } finally {
      remove();
    }
  });

  it('passes a permanent failure (a bad dataset) back as PermanentJobError', async () => {
    const run = runTrainingProcess(fixtureRequest({ datasetPath: 'no/such.csv' }));
    await expect(run).rejects.toBeInstanceOf(PermanentJobError);
    await expect(run).rejects.toThrow(/^dataset no\/such.csv not found/);
  });

  it('turns a process that aborts into TrainingProcessCrashedError for that run only; the caller lives on', async () => {
    const { dir, remove } = tempDir();
    try {
      writeSentimentCsv(dir, 300, 'abort-me.csv');
      writeSentimentCsv(dir, 300, 'fine.csv');
      const entry = new URL('../../../fixtures/training-processes/aborting-training-process.ts', import.meta.url);
      const request = (datasetPath: string) => ({ datasetPath, workDir: dir, mode: 'full' as const, epochs: 2, seed: 1 });
      const [aborted, trained] = await Promise.allSettled([runTrainingProcess(request('abort-me.csv'), { entry }), runTrainingProcess(request('fine.csv'), { entry })]);
      expect(aborted.status).toBe('rejected');
      const error = (aborted as PromiseRejectedResult).reason as TrainingProcessCrashedError;
      expect(error).toBeInstanceOf(TrainingProcessCrashedError);
      expect(error.userMessage).toMatch(/^the training process crashed \(killed by SIGABRT\): terminate called after throwing an instance of the test fixture\./);
      expect(trained.status).toBe('fulfilled');
    } finally {
      remove();
    }
  });
});
