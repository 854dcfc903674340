import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../../helpers/eventually.js';
import { OpsbotProcess } from '../../helpers/opsbot-process.js';
import { writeSentimentCsv } from '../../helpers/text-dataset.js';

interface JobRow {
  status: string;
  attempts: number;
  error: string | null;
  progress: string | null;
}

/**
 * The embedded default keeps its queue in memory: a bot killed mid-job must, once
 * started again on the same data directory, settle what it left — not leave it
 * "running" forever.
 */
describe('restarting the embedded bot after it was killed mid-job', () => {
  let dir: string;
  const processes: OpsbotProcess[] = [];
  const env = () => ({ OPSBOT_DATA_DIR: join(dir, 'state'), PORT: '0', REDIS_URL: '', OPSBOT_LOG_LEVEL: 'info' });
  const start = () => {
    const bot = new OpsbotProcess(['start', '--user', 'alice'], { cwd: dir, env: env() });
    processes.push(bot);
    return bot;
  };
  const job = (id: string): JobRow | undefined => {
    const db = new Database(join(dir, 'state', 'opsbot.db'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare<[string], JobRow>('SELECT status, attempts, error, progress FROM jobs WHERE id = ?').get(id);
    } finally {
      db.close();
    }
  };
  const filesOf = (model: string, jobId: string) => {
    const modelDir = join(dir, 'state', 'models', model);
    return existsSync(modelDir) ? readdirSync(modelDir).filter((name) => name.startsWith(jobId)) : [];
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-restart-'));
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((bot) => bot.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a second bot on the same data directory while the first runs, and takes over a killed one's", async () => {
    const first = start();
    await eventually('the first bot\'s prompt', () => /Type `help`/.test(first.stdout), 30_000);
    const second = start();
    expect(await second.exited).toBe(2);
    expect(second.stderr).toMatch(/another opsbot \(pid \d+\) runs the embedded job queue on .*state; stop it/);
    await first.stop('SIGKILL');
    const third = start();
    await eventually('the prompt of the bot that took over', () => /Type `help`/.test(third.stdout), 30_000);
  }, 90_000);

  it('runs a killed train again, fails a killed tune with the reason and deletes its trials, and tells the conversation', async () => {
    // Big, and an MLP (slower to converge), so early stopping cannot end the training before the kill.
    writeSentimentCsv(dir, 20_000, 'big.csv');
    writeSentimentCsv(dir, 1500, 'small.csv');
    const first = start();
    first.child.stdin.write('train big --dataset big.csv --epochs 200 --algorithm mlp\n');
    first.child.stdin.write('tune quick --dataset small.csv --trials 8 --method grid --epochs 15\n');
    const trainId = (await eventually('the train job', () => /Job (j-[0-9a-z]+): train big/.exec(first.stdout)?.[1], 30_000)) as string;
    const tuneId = (await eventually('the tune job', () => /Job (j-[0-9a-z]+): tune quick/.exec(first.stdout)?.[1], 30_000)) as string;
    // Killed once a trial has written its files and while the training runs: nothing gets to clean up.
    await eventually('trial files on disk', () => filesOf('quick', tuneId).length > 0 && readdirSync(join(dir, 'state', 'models', 'quick', tuneId)).length > 0, 90_000);
    expect(job(trainId)?.status).toBe('active');
    expect(job(tuneId)?.status).toBe('active');
    await first.stop('SIGKILL');

    const second = start();
    await eventually('the tune failed with the reason', () => job(tuneId)?.status === 'failed', 30_000);
    expect(job(tuneId)?.error).toBe(
      'Failed: opsbot restarted while it was running, and the results of its finished trials were lost with the restart; start the search again with the same command.',
    );
    // Its trials' files (and any half-written attempt) are gone.
    expect(filesOf('quick', tuneId)).toEqual([]);
    // The train runs again as its second attempt.
    await eventually('the train running again', () => {
      const row = job(trainId);
      return row?.status === 'active' && row.attempts === 2;
    }, 60_000);
    // The conversation hears about both, although the messages they had died with the first process.
    await eventually('the tune message', () => second.stdout.includes(`Job ${tuneId}: tune quick on small.csv — failed`), 30_000);
    await eventually('the train message', () => second.stdout.includes(`Job ${trainId}: train big on big.csv — running`), 30_000);
    expect(second.stdout).toMatch(/opsbot restarted during attempt 1; running it again|attempt 2 started|epoch \d+\/200/);

    // Cancelling the re-run job works, and its message (a new one: the old is gone) says so, without an apology.
    second.child.stdin.write(`cancel ${trainId}\n`);
    await eventually('cancelled', () => job(trainId)?.status === 'cancelled', 30_000);
    await eventually('the cancelled message', () => second.stdout.includes(`Job ${trainId}: train big on big.csv — cancelled`), 15_000);
    expect(second.stdout).not.toMatch(/Something went wrong/);
    expect(second.stderr).not.toMatch(/no local message/);
    expect(filesOf('big', trainId)).toEqual([]);
  }, 240_000);
});
