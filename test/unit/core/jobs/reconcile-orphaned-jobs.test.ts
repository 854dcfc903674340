import { LocalWorkspace } from '../../../../bot/local/local-workspace.js';
import { newJobId, reconcileOrphanedJobs, silentLogger, type JobActionName, type JobRecord, type QueuedJob } from '../../../../core/index.js';
import { openSqliteStateStore } from '../../../../store/index.js';
import { alice, terminal } from '../../../helpers/fixtures.js';

describe('reconcileOrphanedJobs', () => {
  const store = openSqliteStateStore(':memory:');
  afterAll(() => store.close());

  const orphan = async (kind: JobActionName, args: Record<string, unknown>, startedAttempts: number): Promise<string> => {
    const id = newJobId();
    await store.jobs.create({ id, kind, args, requestedBy: alice, conversation: terminal, text: `${kind} …` });
    if (startedAttempts > 0) await store.jobs.markActive(id, startedAttempts, 'old-worker');
    return id;
  };

  it('runs idempotent kinds again with their attempts counted, fails the rest with the reason, and tells the conversation', async () => {
    const train = await orphan('train', { model: 'sentiment', dataset: 'd.csv' }, 1);
    const spent = await orphan('evaluate', { model: 'sentiment', version: '1' }, 3);
    const queuedTune = await orphan('tune', { model: 'sentiment', dataset: 'd.csv' }, 0);
    const runningTune = await orphan('tune', { model: 'sentiment', dataset: 'd.csv' }, 1);
    const deploy = await orphan('deploy', { model: 'sentiment', version: '1', env: 'prod' }, 0);
    const requeued: Array<[string, number]> = [];
    const discarded: string[] = [];
    const chat = new LocalWorkspace();

    const report = await reconcileOrphanedJobs({
      jobs: store.jobs,
      audit: store.audit,
      chat,
      log: silentLogger,
      requeue: async (job: QueuedJob, attempts: number) => void requeued.push([job.jobId, attempts]),
      discardFiles: async (job: JobRecord) => void discarded.push(job.id),
      maxAttempts: 3,
    });

    expect(requeued).toEqual([
      [train, 1],
      [queuedTune, 0],
    ]);
    expect(report.failed.sort()).toEqual([spent, runningTune, deploy].sort());
    expect(discarded.sort()).toEqual([train, spent, queuedTune, runningTune, deploy].sort());
    expect((await store.jobs.get(spent))?.error).toBe('Failed: opsbot restarted while it was running, and it was interrupted 3 times, which is all the attempts it gets.');
    expect((await store.jobs.get(deploy))?.error).toMatch(/^Failed: opsbot restarted while it was queued, and it changes an environment, so it is not applied later unasked/);
    expect((await store.jobs.get(train))?.progress?.message).toBe('opsbot restarted during attempt 1; running it again');
    // One message per job in its conversation, and the failures are audited.
    expect(chat.history().map((m) => m.message.text.split('\n')[0])).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^Job ${deploy}: deploy sentiment v1 to prod — failed`)), expect.stringMatching(new RegExp(`^Job ${train}: .* — running`))]),
    );
    expect(chat.history()).toHaveLength(5);
    expect((await store.audit.query({ jobId: deploy, limit: 5 })).map((r) => r.outcome)).toEqual(['failed']);
  });
});
