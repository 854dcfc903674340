import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH, streamAudit, verifyAuditChain, type AuditEntry, type AuditRecord } from '../../../core/index.js';
import { openSqliteStateStore } from '../../../store/index.js';
import { runCli, type CliResult } from '../../helpers/run-cli.js';

const RECORDS = 3000;
const MINUTE = 60_000;

/** Texts an auditor's CSV reader has to survive: separators, quotes, line breaks, an empty text. */
const AWKWARD = ['deploy fraud, then "scale" it', 'line one\nline two', 'crlf\r\nend', 'quote " alone', '', 'émoji 🚀 ,;\t', '=SUM(A1)'];

function entryFor(i: number): AuditEntry {
  const who = i % 3 === 0 ? { userId: 'U2', userName: 'bob' } : { userId: 'U1', userName: 'alice' };
  const base: AuditEntry = { platform: 'slack', workspace: 'T1', ...who, channelId: 'C1', outcome: 'accepted' };
  if (i % 10 === 0) return { platform: 'system', workspace: '', userId: 'opsbot', userName: 'opsbot', outcome: 'completed', jobId: `j-${i}`, attempt: 1, durationMs: i };
  if (i % 4 === 0) return { ...base, text: AWKWARD[i % AWKWARD.length], action: 'train', args: { model: 'fraud', params: { lr: 0.1, layers: [8, 4] } } };
  return { ...base, threadId: '171.2', text: `deploy sentiment v${i} to staging`, action: 'deploy', args: { model: 'sentiment', env: 'staging' }, detail: `d,"${i}"` };
}

/** A CSV row back into a record: empty unquoted cells are absent fields, quoted `""` an empty text. */
function fromCsvRow(row: Record<string, string | undefined>): AuditRecord {
  const record: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === undefined) continue;
    if (key === 'seq' || key === 'attempt' || key === 'durationMs') record[key] = Number(value);
    else if (key === 'args') record[key] = JSON.parse(value);
    else record[key] = value;
  }
  return record as unknown as AuditRecord;
}

function parseCsv(text: string): AuditRecord[] {
  const rows = parse(text, {
    columns: true,
    cast: (value, context) => (!context.header && value === '' && !context.quoting ? undefined : value),
  }) as Array<Record<string, string | undefined>>;
  return rows.map(fromCsvRow);
}

function parseJsonl(text: string): AuditRecord[] {
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n').map((line) => JSON.parse(line) as AuditRecord);
}

describe('opsbot audit export', () => {
  let dir: string;
  let env: Record<string, string>;
  let all: AuditRecord[];
  let start: number;
  const dbPath = () => join(dir, 'state', 'opsbot.db');
  const cli = (args: string[]): Promise<CliResult> => runCli(['audit', 'export', ...args], { cwd: dir, env });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-audit-export-'));
    env = { OPSBOT_DATA_DIR: join(dir, 'state') };
    // One record a minute, ending about a day ago: ISO bounds are exact, relative ones clear-cut.
    start = Date.now() - RECORDS * MINUTE - 1440 * MINUTE;
    let tick = 0;
    const store = openSqliteStateStore(dbPath(), { now: () => new Date(start + tick++ * MINUTE) });
    try {
      for (let i = 0; i < RECORDS; i++) await store.audit.append(entryFor(i));
      all = [];
      for await (const record of streamAudit(store.audit)) all.push(record);
    } finally {
      await store.close();
    }
    expect(all).toHaveLength(RECORDS);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes CSV (RFC 4180) that parses back to the same records, oldest first, and re-verifies', async () => {
    const out = join(dir, 'audit.csv');
    const result = await cli(['--format', 'csv', '--out', out]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`exported ${RECORDS} audit records to ${out} (csv, oldest first)\n`);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\r\n')[0]).toBe('seq,at,prevHash,hash,platform,workspace,userId,userName,channelId,threadId,text,action,args,outcome,jobId,attempt,durationMs,detail');
    // Quoted where a field holds a comma, quote or line break; quotes doubled; an empty text is "".
    expect(text).toContain('"deploy fraud, then ""scale"" it"');
    expect(text).toContain('"line one\nline two"');
    expect(text).toContain(',"",train,');
    const parsed = parseCsv(text);
    expect(parsed).toEqual(all);
    expect(verifyAuditChain(parsed, { seq: 0, hash: GENESIS_HASH }, { seq: RECORDS, hash: all.at(-1)!.hash })).toEqual({ ok: true, checked: RECORDS });
    // Nothing partial is left beside the export.
    expect(readdirSync(dir).filter((name) => name.includes('partial'))).toEqual([]);
  }, 60_000);

  it('writes JSON lines to stdout, one record per line, every field included', async () => {
    const result = await cli(['--format', 'jsonl']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = parseJsonl(result.stdout);
    expect(lines).toEqual(all);
    expect(Object.keys(lines[1]!).slice(0, 4)).toEqual(['seq', 'at', 'prevHash', 'hash']);
    expect(verifyAuditChain(lines, { seq: 0, hash: GENESIS_HASH }, undefined)).toEqual({ ok: true, checked: RECORDS });
  }, 60_000);

  it('filters by user, action, model and time, as the listing does', async () => {
    const seqs = async (args: string[]) => parseJsonl((await cli(['--format', 'jsonl', ...args])).stdout).map((r) => r.seq);
    const expected = (keep: (r: AuditRecord) => boolean) => all.filter(keep).map((r) => r.seq);
    expect(await seqs(['--user', 'bob'])).toEqual(expected((r) => r.userName === 'bob'));
    expect(await seqs(['--user', 'slack:T1:U1', '--action', 'train'])).toEqual(expected((r) => r.userId === 'U1' && r.action === 'train'));
    expect(await seqs(['--model', 'fraud'])).toEqual(expected((r) => r.args?.model === 'fraud'));
    const from = all[1000]!.at;
    const to = all[1099]!.at;
    expect(await seqs(['--since', from, '--until', to])).toEqual(Array.from({ length: 100 }, (_, i) => 1001 + i));
    // Durations count back from now: every record is older than 12h, none older than 7d.
    expect(await seqs(['--since', '7d'])).toHaveLength(RECORDS);
    expect(await seqs(['--since', '12h'])).toEqual([]);
    expect(await seqs(['--until', '12h', '--action', 'deploy'])).toEqual(expected((r) => r.action === 'deploy'));
    const csv = await cli(['--format', 'csv', '--user', 'bob', '--since', from, '--until', to]);
    expect(parseCsv(csv.stdout)).toEqual(all.filter((r) => r.userName === 'bob' && r.at >= from && r.at <= to));
  }, 120_000);

  it('refuses bad flags with exit code 2 and a message naming the flag, writing nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /audit export needs --format jsonl\|csv/],
      [['--format', 'xml'], /cannot write "xml": use --format jsonl or --format csv/],
      [['--format', 'csv', '--since', 'yesterday'], /could not read the time "yesterday"/],
      [['--format', 'csv', '--until', '2026-02-30'], /could not read the time "2026-02-30"/],
      [['--format', 'csv', '--since', '1d', '--until', '7d'], /--since .* is after --until/],
      [['--format', 'jsonl', '--limit', '5'], /writes every matching record.*not --limit/],
      [['--format', 'jsonl', '--frobnicate'], /Unknown option '--frobnicate'/],
    ];
    for (const [args, message] of cases) {
      const result = await cli([...args, '--out', join(dir, 'refused.out')]);
      expect({ args, code: result.code, stdout: result.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(result.stderr).toMatch(message);
    }
    expect(readdirSync(dir).filter((name) => name.includes('refused'))).toEqual([]);
    // A file that cannot be written is an error (1), not a half-written export.
    const unwritable = await cli(['--format', 'csv', '--out', join(dir, 'no-such-dir', 'audit.csv')]);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toMatch(/^opsbot: /);
  }, 120_000);

  it('exports a tampered log as stored, hashes included, so the export shows the same break as `audit verify`', async () => {
    const db = new Database(dbPath());
    try {
      db.exec('DROP TRIGGER IF EXISTS audit_records_no_update');
      db.prepare("UPDATE audit_records SET text = 'nothing to see' WHERE seq = 1234").run();
    } finally {
      db.close();
    }
    const verify = await runCli(['audit', 'verify'], { cwd: dir, env });
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/first bad record is #1234/);
    for (const format of ['jsonl', 'csv'] as const) {
      const result = await cli(['--format', format]);
      expect(result.code).toBe(0);
      const exported = format === 'csv' ? parseCsv(result.stdout) : parseJsonl(result.stdout);
      expect(exported).toHaveLength(RECORDS);
      expect(exported[1233]).toEqual({ ...all[1233], text: 'nothing to see' });
      expect(verifyAuditChain(exported, { seq: 0, hash: GENESIS_HASH }, undefined)).toMatchObject({ ok: false, firstBadSeq: 1234, checked: 1233 });
    }
  }, 120_000);
});
