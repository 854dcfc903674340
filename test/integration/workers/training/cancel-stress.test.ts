import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TERMINAL_JOB_STATUSES, type JobAction } from '../../../../core/index.js';
import { seededRandom } from '../../../../workers/training/seeded-random.js';
import { startInProcessJobs, type InProcessJobs } from '../../../helpers/in-process-jobs.js';
import { writeSentimentCsv } from '../../../helpers/text-dataset.js';

const SEED = 20261201;
const ROUNDS = 7;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Training processes still running under this one (pgrep never lists itself). */
function trainingProcesses(): string[] {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), '-f', 'tsx-child'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/**
 * The reported abort (`terminate called after throwing an instance of 'Napi::Error'`)
 * came from cancelling tunes, trials and trains while they ran, ONNX export included.
 * This does that many times at seeded random moments, in one process on the embedded
 * queue: the process must stay up and every job must end in a terminal state.
 */
describe('cancelling tunes, trials and trainings at random moments on the in-process queue', () => {
  let jobs: InProcessJobs;
  beforeEach(() => (jobs = startInProcessJobs({ concurrency: 2 })));
  afterEach(() => jobs.close());

  it('keeps the process up; every job ends completed, failed or cancelled, and nothing is left running', async () => {
    const random = seededRandom(SEED);
    writeSentimentCsv(jobs.dir, 160);
    const dataset = 'sentiment.csv';
    const submitted: string[] = [];
    const tunes: string[] = [];
    let cancels = 0;
    const cancel = async (jobId: string) => {
      cancels++;
      await jobs.cancel(jobId);
    };
    // Trains are cancelled within moments of starting their ONNX export (saving, then the onnxruntime check).
    const cancelOnExport = new Map<string, number>();
    jobs.queue.onEvent((event) => {
      const delay = cancelOnExport.get(event.jobId);
      if (event.type === 'progress' && delay !== undefined && /exporting to ONNX/.test(event.progress.message ?? '')) void sleep(delay).then(() => cancel(event.jobId));
    });
    const submit = async (action: JobAction) => {
      const jobId = await jobs.submit(action);
      submitted.push(jobId);
      return jobId;
    };

    for (let round = 0; round < ROUNDS; round++) {
      const tune = await submit({ action: 'tune', args: { model: 'sentiment', dataset, trials: 3, method: 'grid', epochs: 2 } });
      tunes.push(tune);
      const trains = [
        await submit({ action: 'train', args: { model: 'sentiment', dataset, epochs: 2, algorithm: 'mlp' } }),
        await submit({ action: 'train', args: { model: 'sentiment', dataset, epochs: 1 } }),
      ];
      cancelOnExport.set(trains[0] as string, random() * 150);
      if (random() < 0.5) cancelOnExport.set(trains[1] as string, random() * 150);
      // Three cancels at random moments: a running job (a trial, a train), a train wherever it is, the tune.
      for (const pick of ['running', 'train', 'tune'] as const) {
        await sleep(random() * 1500);
        if (pick === 'running') {
          const running = (await jobs.queue.workers())[0]?.jobIds ?? [];
          const target = running[Math.floor(random() * running.length)];
          if (target) await cancel(target);
        } else if (pick === 'train') {
          await cancel(trains[1] as string).catch(() => undefined);
        } else if (random() < 0.7) await cancel(tune);
      }
      await jobs.queue.whenIdle();
    }

    const records = await Promise.all(submitted.map((id) => jobs.job(id)));
    for (const record of records) {
      expect(TERMINAL_JOB_STATUSES).toContain(record.status);
      if (record.status === 'failed') expect(record.error).not.toMatch(/crashed|Something went wrong/);
    }
    expect(cancels).toBeGreaterThanOrEqual(ROUNDS * 2);
    expect(records.some((r) => r.status === 'cancelled')).toBe(true);
    // A cancelled tune deletes its trials' files.
    for (const record of records.filter((r) => r.kind === 'tune' && r.status === 'cancelled')) {
      expect(existsSync(join(jobs.dataDir, 'models', 'sentiment', record.id))).toBe(false);
    }
    expect(trainingProcesses()).toEqual([]);

    // And the queue still trains afterwards.
    const after = await jobs.submit({ action: 'train', args: { model: 'sentiment', dataset, epochs: 1 } });
    await jobs.queue.whenIdle();
    expect((await jobs.job(after)).status).toBe('completed');
  }, 120_000);
});
