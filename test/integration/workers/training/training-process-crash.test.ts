import { startInProcessJobs, type InProcessJobs } from '../../../helpers/in-process-jobs.js';
import { writeSentimentCsv } from '../../../helpers/text-dataset.js';

// The real training-process entry, except that a dataset named *abort* makes it call process.abort().
const ABORTING_ENTRY = new URL('../../../fixtures/training-processes/aborting-training-process.ts', import.meta.url);

describe('a training process that aborts', () => {
  let jobs: InProcessJobs;
  beforeEach(() => (jobs = startInProcessJobs({ concurrency: 2, trainingProcessEntry: ABORTING_ENTRY })));
  afterEach(() => jobs.close());

  it('fails only its own job, with a clear message, while the bot and the job beside it carry on', async () => {
    writeSentimentCsv(jobs.dir, 200, 'abort-me.csv');
    writeSentimentCsv(jobs.dir, 200, 'fine.csv');
    const crashing = await jobs.submit({ action: 'train', args: { model: 'crashy', dataset: 'abort-me.csv', epochs: 2 } });
    const healthy = await jobs.submit({ action: 'train', args: { model: 'healthy', dataset: 'fine.csv', epochs: 2 } });
    await jobs.queue.whenIdle();

    const crashed = await jobs.job(crashing);
    expect(crashed.status).toBe('failed');
    expect(crashed.error).toMatch(/^Failed: the training process crashed \(killed by SIGABRT\): terminate called after throwing/);
    expect(await jobs.store.registry.listVersions('crashy')).toEqual([]);
    expect((await jobs.job(healthy)).status).toBe('completed');
    expect(await jobs.store.registry.listVersions('healthy')).toHaveLength(1);

    // The queue still takes work after the crash.
    const after = await jobs.submit({ action: 'train', args: { model: 'healthy', dataset: 'fine.csv', epochs: 1 } });
    await jobs.queue.whenIdle();
    expect((await jobs.job(after)).status).toBe('completed');
  }, 60_000);
});
