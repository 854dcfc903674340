import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobLockLostError, PermanentJobError, type JobContext } from '../../../../core/index.js';
import { ArtifactAttempt } from '../../../../workers/handlers/model-artifact.js';
import { jobContext } from '../../../helpers/fixtures.js';

const context = (owns: boolean, controller = new AbortController()): JobContext =>
  jobContext({ willRetryOnFailure: true, signal: controller.signal, ownsJob: async () => owns });

describe('ArtifactAttempt: an attempt-unique directory renamed into place on success only', () => {
  let dir: string;
  let finalDir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-artifact-'));
    finalDir = join(dir, 'models', 'm', 'j-1');
    mkdirSync(join(dir, 'models', 'm'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (attempt: ArtifactAttempt, text: string) => {
    mkdirSync(attempt.dir, { recursive: true });
    writeFileSync(attempt.path('model.json'), text);
  };

  it('gives each attempt its own directory beside the final one, and moves it into place on commit', async () => {
    const [a, b] = [new ArtifactAttempt(finalDir, 1), new ArtifactAttempt(finalDir, 1)];
    expect(a.dir).not.toBe(b.dir);
    expect(a.dir).toMatch(/j-1\.attempt-1-[0-9a-f]{8}$/);
    write(a, 'first');
    await a.commit(context(true));
    expect(readFileSync(join(finalDir, 'model.json'), 'utf8')).toBe('first');
    expect(readdirSync(join(dir, 'models', 'm'))).toEqual(['j-1']);
  });

  it('commits nothing once the attempt no longer holds its job, and deletes its files', async () => {
    const attempt = new ArtifactAttempt(finalDir, 1);
    write(attempt, 'fenced');
    await expect(attempt.commit(context(false))).rejects.toBeInstanceOf(JobLockLostError);
    const aborted = new AbortController();
    aborted.abort(new JobLockLostError());
    const other = new ArtifactAttempt(finalDir, 1);
    write(other, 'fenced too');
    await expect(other.commit(context(true, aborted))).rejects.toBeInstanceOf(JobLockLostError);
    expect(readdirSync(join(dir, 'models', 'm'))).toEqual([]);
  });

  it('replaces an earlier attempt’s leftover only when nothing uses it', async () => {
    const crashed = new ArtifactAttempt(finalDir, 1);
    write(crashed, 'leftover');
    await crashed.commit(context(true));
    const retry = new ArtifactAttempt(finalDir, 2);
    write(retry, 'retry');
    await retry.commit(context(true), async () => true);
    expect(readFileSync(join(finalDir, 'model.json'), 'utf8')).toBe('retry');
    const late = new ArtifactAttempt(finalDir, 3);
    write(late, 'late');
    // Still holding the job, so the attempt that registered is gone: a permanent failure, not a retry.
    const refused = late.commit(context(true), async () => false);
    await expect(refused).rejects.toBeInstanceOf(PermanentJobError);
    await expect(refused).rejects.toThrow(/an earlier attempt of this job already stored and registered its result/);
    expect(readFileSync(join(finalDir, 'model.json'), 'utf8')).toBe('retry');
    expect(existsSync(late.dir)).toBe(false);
  });

  it('deletes the directory when the work fails', async () => {
    const attempt = new ArtifactAttempt(finalDir, 1);
    await expect(
      attempt.produce(context(true), async () => true, async () => {
        write(attempt, 'half');
        throw new Error('crashed mid-export');
      }),
    ).rejects.toThrow('crashed mid-export');
    expect(readdirSync(join(dir, 'models', 'm'))).toEqual([]);
  });
});
