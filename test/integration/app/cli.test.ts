import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/run-cli.js';
import { writeSentimentCsv } from '../../helpers/text-dataset.js';

describe('the opsbot command line', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a piped local session to the end of its jobs, as the local OS user or --user', async () => {
    writeSentimentCsv(dir, 200);
    const result = await runCli(['start', '--user', 'carol'], {
      cwd: dir,
      input: 'help\ntrain sentiment --dataset sentiment.csv --epochs 2\n',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/local chat as local:carol;.* in-process queue/);
    expect(result.stdout).toMatch(/deploy\s+roll a version out to the idle colour/);
    expect(result.stdout).toMatch(/Trained sentiment v1 on 200 examples/);
    // A terminal cannot show the training curve: it is saved as a PNG and the line names the file.
    const [, saved] = result.stdout.match(/\[image: Training curve of sentiment \(j-[0-9a-z]+\), saved to (\S+\.png)\]/) ?? [];
    expect(saved).toMatch(/\.opsbot\/charts\/training-curve-of-sentiment-j-[0-9a-z]+\.png$/);
    expect([...readFileSync(saved as string).subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
  }, 60_000);

  it('answers every kind of bad input with a specific error, enqueues nothing and stays up', async () => {
    const lines = [
      '   ',
      'x'.repeat(100 * 1024),
      'frobnicate the models',
      'train séntiment --dataset data.csv',
      'train 🚀 --dataset data.csv',
      'train sentiment\u0007 --dataset data.csv',
      'deploy sentiment;rm -rf / to prod',
      'train $(reboot) --dataset x.csv',
      'scale sentiment in prod to 99',
      'status',
    ];
    const result = await runCli(['start', '--user', 'dave'], { cwd: dir, input: `${lines.join('\n')}\n` });
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/❌ .*102400 characters.*4000/);
    // Not a command, nor a request in words: a pointer to help, and nothing runs.
    expect(out).toMatch(/I can.t help with that one\. I run ML-ops actions/);
    expect(out).toMatch(/❌ .*"séntiment".*lowercase letters, digits and "-"/);
    expect(out).toMatch(/❌ .*"🚀"/);
    expect(out).toMatch(/❌ .*U\+0007/);
    expect(out).toMatch(/❌ .*"sentiment;rm".*DNS label/);
    expect(out).toMatch(/❌ .*"\$\(reboot\)"/);
    expect(out).toMatch(/❌ .*replicas must be between 0 and 50/);
    expect(out).toMatch(/No jobs yet/);
    expect(result.stderr).toBe('');
  }, 60_000);

  it('detects an edited audit record with `audit verify`, naming it', async () => {
    const session = await runCli(['start'], { cwd: dir, input: 'help\nstatus\naudit\nhelp deploy\n' });
    expect(session.code).toBe(0);
    const ok = await runCli(['audit', 'verify'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/audit log OK: 4 records verified/);

    const db = new Database(join(dir, '.opsbot', 'opsbot.db'));
    db.exec('DROP TRIGGER IF EXISTS audit_records_no_update');
    db.prepare("UPDATE audit_records SET text = 'nothing to see' WHERE seq = 2").run();
    db.close();

    const tampered = await runCli(['audit', 'verify'], { cwd: dir });
    expect(tampered.code).not.toBe(0);
    expect(tampered.stdout).toMatch(/audit log TAMPERED: first bad record is #2/);
  }, 60_000);

  it('prints audit records as JSON lines, filtered', async () => {
    await runCli(['start', '--user', 'erin'], { cwd: dir, input: 'help\nstatus\n' });
    const result = await runCli(['audit', '--user', 'erin', '--limit', '1'], { cwd: dir });
    const records = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { userId: string; action: string; seq: number });
    expect(records).toEqual([expect.objectContaining({ userId: 'erin', action: 'status', seq: 2 })]);
  }, 60_000);

  it('parses one utterance per line into exactly one JSON object per line', async () => {
    const input = ['deploy sentiment v2 to production', 'scale sentiment in prod to 4', '', 'deploy sentimnt v2 to staging'].join('\n');
    const result = await runCli(['parse', '--models', 'sentiment,churn'], { cwd: dir, input: `${input}\n` });
    expect(result.code).toBe(0);
    const outputs = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(outputs).toEqual([
      { action: 'deploy', args: { model: 'sentiment', version: '2', env: 'prod' }, confidence: 1, source: 'grammar' },
      { action: 'scale', args: { model: 'sentiment', env: 'prod', replicas: 4 }, confidence: 1, source: 'grammar' },
      { error: expect.stringMatching(/empty command/) },
      { error: 'unknown model "sentimnt" — did you mean "sentiment"?' },
    ]);
  }, 60_000);

  it('refuses to start with invalid settings, naming each one and how to fix it', async () => {
    const result = await runCli(['start'], {
      cwd: dir,
      env: { OPSBOT_MAX_REPLICAS: 'lots', OPSBOT_LOG_LEVEL: 'loud', OPSBOT_JOB_ATEMPTS: '3' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/OPSBOT_MAX_REPLICAS="lots" is not valid: expected a whole number, 1 to 1000/);
    expect(result.stderr).toMatch(/logLevel \(OPSBOT_LOG_LEVEL\)/);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
  }, 30_000);

  it('explains that a worker needs REDIS_URL', async () => {
    const result = await runCli(['worker'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/REDIS_URL: `opsbot worker` takes jobs from Redis/);
  }, 30_000);
});
