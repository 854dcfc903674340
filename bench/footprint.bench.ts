import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { OPSBOT_BIN } from '../test/helpers/opsbot-process.js';
import { SlackApiFake } from '../test/helpers/slack-api-fake.js';

/**
 * What `opsbot serve` costs to run: the time from spawning the process to its first
 * 200 on /healthz, and its resident memory once idle, against a minimal Bolt app
 * (bench/footprint-bolt-app.mjs) started the same way: plain node on a .js file, a
 * child process each, fresh each round, rounds alternating. Importing the test
 * helper builds dist/ first, so the compiled code is what runs.
 */

const ROUNDS = 5;
const IDLE_MS = 5000;
const BOLT_APP = fileURLToPath(new URL('./footprint-bolt-app.mjs', import.meta.url));
const SIGNING_SECRET = 'bench-signing-secret-0123456789ab';

export interface FootprintFigures {
  startMs: number;
  idleRssMb: number;
}

export interface FootprintResult {
  rounds: number;
  idleMs: number;
  opsbot: FootprintFigures;
  opsbotWithSlack: FootprintFigures;
  bolt: FootprintFigures;
  markdown: string;
}

interface Side {
  name: string;
  args: string[];
  env: Record<string, string>;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** The parent's environment without any opsbot, Slack, Teams or Redis settings, so each side gets only its own. */
function cleanEnv(): Record<string, string> {
  const unrelated = ([key]: [string, string | undefined]) => !/^(OPSBOT_|SLACK_|MICROSOFT_|REDIS_URL$|PORT$)/.test(key);
  return Object.fromEntries(Object.entries(process.env).filter(unrelated)) as Record<string, string>;
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await Promise.race([once(child, 'exit'), delay(5000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

async function measure(side: Side): Promise<FootprintFigures> {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), 'opsbot-footprint-'));
  const started = performance.now();
  const child = spawn(process.execPath, side.args, { cwd, env: { ...cleanEnv(), ...side.env, PORT: String(port), OPSBOT_DATA_DIR: join(cwd, '.opsbot') }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${side.name} exited (${child.exitCode}) before /healthz answered: ${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((response) => response.ok, () => false);
      if (ok) break;
      await delay(5);
    }
    const startMs = performance.now() - started;
    await delay(IDLE_MS);
    return { startMs, idleRssMb: rssMb(child.pid as number) };
  } finally {
    await stop(child);
    rmSync(cwd, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export async function benchFootprint(): Promise<FootprintResult> {
  const api = await SlackApiFake.start();
  const slack = { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: api.token, SLACK_API_URL: api.url };
  const sides: Side[] = [
    { name: 'opsbot', args: [OPSBOT_BIN, 'serve'], env: {} },
    { name: 'opsbot with Slack', args: [OPSBOT_BIN, 'serve'], env: slack },
    { name: 'bolt', args: [BOLT_APP], env: slack },
  ];
  const figures = new Map(sides.map((side) => [side.name, [] as FootprintFigures[]]));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order, so no side always runs first on a cold cache.
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) figures.get(side.name)?.push(await measure(side));
    }
  } finally {
    await api.close();
  }
  const summary = (name: string): FootprintFigures => {
    const runs = figures.get(name) ?? [];
    return { startMs: median(runs.map((r) => r.startMs)), idleRssMb: median(runs.map((r) => r.idleRssMb)) };
  };
  const opsbot = summary('opsbot');
  const opsbotWithSlack = summary('opsbot with Slack');
  const bolt = summary('bolt');
  const row = (label: string, f: FootprintFigures) =>
    `| ${label} | ${f.startMs.toFixed(0)} ms | ${(f.startMs / bolt.startMs).toFixed(2)}× | ${f.idleRssMb.toFixed(0)} MB | ${(f.idleRssMb / bolt.idleRssMb).toFixed(2)}× |`;
  const markdown = [
    `Each process is spawned fresh (\`node bin/opsbot.js serve\`, which runs the compiled dist/, or \`node bench/footprint-bolt-app.mjs\`), polled on \`/healthz\` every 5 ms until it answers 200, then left idle ${IDLE_MS / 1000} s before its resident memory (VmRSS) is read. Median of ${ROUNDS} alternating rounds. "opsbot" is the default configuration (SQLite, in-process queue, playground); "with Slack" adds an HTTP-mode Slack app against a local Web API fake; the baseline is a minimal Bolt app (HTTPReceiver, one slash command, a /healthz route).`,
    '',
    '| process | start to /healthz | vs Bolt | idle RSS | vs Bolt |',
    '|---|---|---|---|---|',
    row('opsbot serve', opsbot),
    row('opsbot serve, Slack configured', opsbotWithSlack),
    row('minimal Bolt app (baseline)', bolt),
    '',
    `Targets for \`opsbot serve\`: start to /healthz < 1 s (${opsbot.startMs < 1000 ? 'met' : 'MISSED'}), idle RSS ≤ 100 MB (${opsbot.idleRssMb <= 100 ? 'met' : 'MISSED'}).`,
  ].join('\n');
  return { rounds: ROUNDS, idleMs: IDLE_MS, opsbot, opsbotWithSlack, bolt, markdown };
}

// `npx tsx bench/footprint.bench.ts` prints the figures.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${(await benchFootprint()).markdown}\n`);
  process.exit(0);
}
