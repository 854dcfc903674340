import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { slashCommandRequest, type SlackRequest } from '../test/helpers/slack-request.js';

/**
 * How fast Slack gets its 200 for a signed slash command: opsbot's whole bot server
 * against a minimal Bolt app (HTTPReceiver, ack then `say`), each in its own process,
 * the same requests from one client, rounds alternating between the two. Both post
 * their answers to the same local Web API fake (a third process, so its work stays out
 * of the client's timings), and a round ends only when every answer has arrived, so work
 * left over from one round never lands in the next.
 */

const SECRET = 'bench-signing-secret-0123456789ab';
const USERS = 20;
const WARM_UP = 40;

export interface AckLatency {
  p50Ms: number;
  p99Ms: number;
}

export interface SlackAckResult {
  requests: number;
  concurrency: number;
  rounds: number;
  command: string;
  opsbot: AckLatency;
  bolt: AckLatency;
  /** opsbot p99 / Bolt p99; the target is ≤ 1.2. */
  p99Ratio: number;
  /** The machine's 1-minute load average before and after: p99 on a busy machine is mostly other processes. */
  load: [number, number];
}

interface Side {
  name: 'opsbot' | 'bolt';
  child: ChildProcess;
  url: string;
}

/** The Web API fake's process: its URL and token, and how many calls a method has had so far. */
interface ApiFake {
  child: ChildProcess;
  url: string;
  token: string;
  calls(method: string): Promise<number>;
}

async function startApiFake(): Promise<ApiFake> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/slack-api-fake-process.ts', String(USERS)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const [url = '', token = ''] = (await readyLine(child, 'the Web API fake')).split(' ');
  const calls = (method: string) =>
    new Promise<number>((resolve) => {
      child.once('message', (message: { count: number }) => resolve(message.count));
      child.send({ count: method });
    });
  return { child, url, token, calls };
}

/** The rest of the child's first `READY …` line. */
function readyLine(child: ChildProcess, name: string): Promise<string> {
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  return new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => line.startsWith('READY ') && resolve(line.slice('READY '.length)));
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready`)));
  });
}

async function startSide(name: Side['name'], api: ApiFake): Promise<Side> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/slack-ack-server.ts', name, SECRET, api.token, api.url], { stdio: ['ignore', 'pipe', 'inherit'] });
  return { name, child, url: await readyLine(child, `the ${name} bench server`) };
}

async function stopSide(side: Side): Promise<void> {
  side.child.kill('SIGTERM');
  await Promise.race([once(side.child, 'exit'), delay(5000)]);
  if (side.child.exitCode === null) side.child.kill('SIGKILL');
}

function requests(count: number, text: string): SlackRequest[] {
  return Array.from({ length: count }, (_, i) => slashCommandRequest({ text, userId: `U0BENCH${i % USERS}`, channelId: 'C0BENCH' }, { secret: SECRET }));
}

/** Sends every request, `concurrency` at a time; the time from send to the response's status line, in ms. */
async function fire(url: string, batch: SlackRequest[], concurrency: number): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  const lane = async () => {
    while (next < batch.length) {
      const request = batch[next++] as SlackRequest;
      const started = performance.now();
      const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
      times.push(performance.now() - started);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return times;
}

/** Waits until the fake has `count` more chat.postMessage calls than `before`: every command answered. */
async function answered(api: ApiFake, before: number, count: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (let made = await api.calls('chat.postMessage'); made < before + count; made = await api.calls('chat.postMessage')) {
    if (Date.now() > deadline) throw new Error(`only ${made - before} of ${count} commands were answered`);
    await delay(50);
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export async function benchSlackAck(options: { requests?: number; concurrency?: number; rounds?: number; command?: string } = {}): Promise<SlackAckResult> {
  const count = options.requests ?? 200;
  const concurrency = options.concurrency ?? 20;
  const rounds = options.rounds ?? 5;
  const command = options.command ?? 'status';
  const loadBefore = loadavg()[0] ?? 0;
  const api = await startApiFake();
  const sides = [await startSide('opsbot', api), await startSide('bolt', api)];
  const figures = new Map<Side['name'], AckLatency[]>(sides.map((side) => [side.name, []]));
  try {
    const round = async (side: Side, size: number) => {
      const before = await api.calls('chat.postMessage');
      const times = await fire(side.url, requests(size, command), concurrency);
      await answered(api, before, size);
      return times.sort((a, b) => a - b);
    };
    for (const side of sides) await round(side, WARM_UP);
    for (let r = 0; r < rounds; r++) {
      for (const side of r % 2 === 0 ? sides : [...sides].reverse()) {
        const times = await round(side, count);
        figures.get(side.name)?.push({ p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99) });
      }
    }
  } finally {
    await Promise.all(sides.map(stopSide));
    api.child.disconnect();
    await Promise.race([once(api.child, 'exit'), delay(5000)]);
  }
  const summary = (name: Side['name']): AckLatency => {
    const list = figures.get(name) ?? [];
    return { p50Ms: median(list.map((f) => f.p50Ms)), p99Ms: median(list.map((f) => f.p99Ms)) };
  };
  const opsbot = summary('opsbot');
  const bolt = summary('bolt');
  return { requests: count, concurrency, rounds, command, opsbot, bolt, p99Ratio: opsbot.p99Ms / bolt.p99Ms, load: [loadBefore, loadavg()[0] ?? 0] };
}

/** The BENCHMARKS.md section. */
export function slackAckMarkdown(result: SlackAckResult): string {
  const fmt = (n: number) => n.toFixed(1);
  const met = result.p99Ratio <= 1.2 ? 'met' : 'MISSED';
  return [
    '## Slack ack latency: opsbot vs a plain Bolt app',
    '',
    `${result.requests} signed slash commands (\`/opsbot ${result.command}\`, ${USERS} users) at concurrency ${result.concurrency} against each server's \`/slack/events\`, time from sending to the 200; median of ${result.rounds} alternating rounds after a warm-up. opsbot is the whole bot server (SQLite store, in-process queue, dispatcher, audit), the baseline a minimal Bolt app on its HTTPReceiver that acks and says one line; each runs in its own process and both answer through the same local Web API fake.`,
    '',
    '| measure | opsbot | plain Bolt | opsbot / Bolt | target |',
    '|---|---|---|---|---|',
    `| p50 | ${fmt(result.opsbot.p50Ms)} ms | ${fmt(result.bolt.p50Ms)} ms | ${(result.opsbot.p50Ms / result.bolt.p50Ms).toFixed(2)}× | — |`,
    `| p99 | ${fmt(result.opsbot.p99Ms)} ms | ${fmt(result.bolt.p99Ms)} ms | ${result.p99Ratio.toFixed(2)}× | ≤ 1.2× (${met}) |`,
    '',
    `Load average (1 min) ${result.load[0].toFixed(1)} before, ${result.load[1].toFixed(1)} after, on ${cpus().length} cores: on a busy machine the tail is mostly other processes, so compare runs made on a quiet one.`,
  ].join('\n');
}

if (process.argv[1]?.endsWith('slack-ack.bench.ts')) {
  const result = await benchSlackAck();
  process.stdout.write(`${slackAckMarkdown(result)}\n`);
}
