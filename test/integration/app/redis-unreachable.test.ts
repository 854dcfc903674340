import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../../helpers/eventually.js';
import { OpsbotProcess } from '../../helpers/opsbot-process.js';
import { runCli } from '../../helpers/run-cli.js';

// Nothing listens on port 1; the password must never be shown.
const UNREACHABLE = 'redis://opsbot:s3cret-pw@127.0.0.1:1';
const STACK_TRACE = /\n\s+at |Unhandled error event/;

describe('an unreachable Redis', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'opsbot-redis-down-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('`opsbot start` says so once, keeps its prompt, and answers a queued command with it', async () => {
    const result = await runCli(['start'], {
      cwd: dir,
      env: { REDIS_URL: UNREACHABLE, OPSBOT_DATA_DIR: join(dir, 'state') },
      input: 'help\ntrain sentiment --dataset data/sentiment.csv\nstatus\n',
      timeoutMs: 60_000,
    });
    expect(result.code).toBe(0);
    const { stdout, stderr } = result;
    expect(stdout).toMatch(/deploy\s+roll a version out to the idle colour/);
    expect(stdout).toMatch(/Job j-[0-9a-z]+ was not started: Redis at redis:\/\/127\.0\.0\.1:1 cannot be reached, so the job queue is unavailable; opsbot keeps trying to connect/);
    expect(stdout).toMatch(/Recent jobs:/);
    expect(`${stdout}${stderr}`).not.toMatch(STACK_TRACE);
    expect(`${stdout}${stderr}`).not.toContain('s3cret-pw');
    expect(stderr).toBe('');
    // The terminal says it at most once; the per-attempt lines go to the log.
    expect(stdout.match(/warning: Redis at redis:\/\/\*\*\*@127\.0\.0\.1:1 cannot be reached/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(stdout.split('\n').length).toBeLessThan(80);
  }, 90_000);

  it('`opsbot worker` logs one plain line per reconnection attempt, backing off, and nothing else', async () => {
    const worker = new OpsbotProcess(['worker'], { cwd: dir, env: { REDIS_URL: UNREACHABLE, OPSBOT_DATA_DIR: join(dir, 'state'), OPSBOT_LOG_LEVEL: 'info' } });
    try {
      await eventually('three attempts', () => (worker.stdout.match(/cannot be reached/g)?.length ?? 0) >= 3, 30_000);
    } finally {
      await worker.stop('SIGKILL');
    }
    const lines = worker.stdout.trim().split('\n').map((line) => JSON.parse(line) as { msg: string; attempt?: number; retryInMs?: number });
    const attempts = lines.filter((line) => /cannot be reached/.test(line.msg));
    expect(attempts[0]?.msg).toBe('Redis at redis://***@127.0.0.1:1 cannot be reached (ECONNREFUSED); retrying in 0.5 s');
    expect(attempts.map((line) => line.attempt)).toEqual(attempts.map((_, i) => i + 1));
    expect(attempts.map((line) => line.retryInMs)).toEqual(attempts.map((_, i) => Math.min(500 * 2 ** i, 30_000)));
    expect(lines.length - attempts.length).toBeLessThanOrEqual(2);
    expect(`${worker.stdout}${worker.stderr}`).not.toMatch(STACK_TRACE);
    expect(`${worker.stdout}${worker.stderr}`).not.toContain('s3cret-pw');
  }, 60_000);
});
