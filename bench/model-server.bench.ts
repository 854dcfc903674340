import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import { loadServedModel } from '../model-server/index.js';
import { trainServableModel } from '../test/helpers/servable-model.js';

/**
 * `opsbot serve-model` throughput and latency, one text per request over keep-alive
 * connections, at several concurrencies, with dynamic batching and the cache on and off;
 * against a bare onnxruntime-node session called in-process on the same model and texts,
 * one text at a time (featurisation included on both sides).
 *
 * The client is its own process (this one; the server is a child) and lean like wrk: raw
 * keep-alive sockets, one request at a time on each, every answer's status and length
 * checked. On a 2-core machine the client's CPU is taken from the server's, so its cost is
 * measured and shown, next to one undici-pool run (the client the first version of this
 * bench used) and the server's own CPU time per prediction, read from its /metrics.
 */

const WORDS = ['fast', 'slow', 'reliable', 'buggy', 'great', 'broken', 'smooth', 'laggy', 'the', 'app', 'build', 'release', 'dashboard', 'today', 'really', 'api'];
/** Distinct texts, so the cache-off runs never repeat one; the cache-on runs use the first HOT of them. */
const texts = Array.from({ length: 20_000 }, (_, i) => Array.from({ length: 10 }, (_, j) => WORDS[(i * 7 + j * 13 + ((i >> 3) ^ j)) % WORDS.length]).join(' ') + ` #${i}`);
const HOT = 256;

export interface ServingFigure {
  batching: boolean;
  cache: boolean;
  concurrency: number;
  requests: number;
  /** Which load generator: the lean one (every row but one) or an undici Pool. */
  client: 'lean' | 'undici';
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** The server process's CPU time (user + system) per prediction, from its own process metrics. */
  serverCpuUs: number;
  /** The client's CPU time per request: what it took from the cores the server shares. */
  clientCpuUs: number;
}

export interface ModelServerBench {
  /** node:http alone (see FLOOR_SERVER), concurrency 64, lean client. */
  floor: ServedRound;
  /** The bare session; its CPU time per prediction is its whole process's (one thread does everything). */
  bare: Round & { cpuUs: number };
  /** Share of the cache-on servers' predict requests answered within 1 ms inside the server (its duration histogram), by batching. */
  cacheHitsUnder1MsInServer: { batching: number; single: number };
  /** The machine's 1-minute load average when the bench ended: other work on its cores. */
  loadAverage: number;
  runs: ServingFigure[];
}

/**
 * Rounds per figure; the fastest is kept. This machine's cores are shared with other
 * work, which only ever slows a round down, so the fastest round is the least disturbed.
 */
const ROUNDS = 3;
type Round = { perSecond: number; p50Ms: number; p99Ms: number };
type ServedRound = Round & { serverCpuUs: number; clientCpuUs: number };
const best = <R extends Round>(rounds: R[]): R => rounds.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
async function sequence<T>(count: number, run: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < count; i++) results.push(await run());
  return results;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;

async function startServer(dataDir: string, version: unknown, options: Record<string, unknown>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/model-server-bench-server.ts', dataDir, JSON.stringify(version), JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => line.startsWith('READY ') && resolve(line.slice('READY '.length)));
    child.once('exit', (code) => reject(new Error(`the bench model server exited (${code}) before it was ready`)));
  });
  return { child, url };
}

/**
 * The floor under any Node HTTP server on these cores: node:http reading each body, parsing
 * its JSON and writing a fixed V1 answer, nothing else (no routing, model, cache or metrics).
 * Its own process, like the model server; it reports its CPU time in the same metric names.
 */
const FLOOR_SERVER = `
const { createServer } = require('node:http');
const answer = '{"predictions":[{"label":"positive","probabilities":{"negative":0.1,"positive":0.9}}]}';
const server = createServer({ keepAliveTimeout: 65000 }, (request, response) => {
  if (request.url === '/metrics') {
    const { user, system } = process.cpuUsage();
    return response.end('opsbot_model_server_process_cpu_user_seconds_total ' + user / 1e6 + '\\nopsbot_model_server_process_cpu_system_seconds_total ' + system / 1e6 + '\\n');
  }
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    response.writeHead(200, ['Content-Type', 'application/json', 'Content-Length', String(answer.length)]);
    response.end(answer);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write('READY http://127.0.0.1:' + server.address().port + '\\n'));
process.once('SIGTERM', () => process.exit(0));
`;

async function startFloorServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['-e', FLOOR_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => line.startsWith('READY ') && resolve(line.slice('READY '.length)));
    child.once('exit', (code) => reject(new Error(`the floor HTTP server exited (${code}) before it was ready`)));
  });
  return { child, url };
}

async function stopServer(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await Promise.race([once(child, 'exit'), delay(5000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** From the server's own request-duration histogram: the share of :predict requests answered within 1 ms. */
async function shareUnder1Ms(url: string): Promise<number> {
  const page = await (await fetch(`${url}/metrics`)).text();
  const series = (suffix: string) => Number(page.split('\n').find((l) => l.startsWith(`opsbot_model_server_request_duration_seconds${suffix}`) && l.includes('route="/v1/models/:name:predict"') && (suffix !== '_bucket' || l.includes('le="0.001"')))?.split(' ').pop());
  return series('_bucket') / series('_count');
}

/** The server's CPU seconds so far (user + system), from its own process metrics. */
async function serverCpuSeconds(url: string): Promise<number> {
  const page = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => Number(page.split('\n').find((l) => l.startsWith(`opsbot_model_server_process_cpu_${name}_seconds_total`))?.split(' ').pop());
  return value('user') + value('system');
}

/**
 * One keep-alive HTTP/1.1 connection, one request at a time: the head written by hand, the
 * answer read up to its Content-Length (the server always sends one). Under half an
 * undici Pool's CPU per request (measured), which on these shared cores is CPU the server gets.
 */
class LeanConnection {
  private readonly socket: Socket;
  private chunks: Buffer[] = [];
  private size = 0;
  /** Bytes the current answer takes, once its head is in. */
  private expected = -1;
  private bodyStart = 0;
  private status = 0;
  private done?: (status: number, body: string) => void;
  private failed?: (error: Error) => void;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', (error) => this.failed?.(error));
    socket.on('close', () => this.failed?.(new Error('the model server closed a keep-alive connection')));
  }

  static async open(host: string, port: number): Promise<LeanConnection> {
    const socket = connect(port, host);
    await once(socket, 'connect');
    return new LeanConnection(socket);
  }

  request(head: string, body: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      this.done = (status, text) => resolve({ status, body: text });
      this.failed = reject;
      this.socket.write(head + body);
    });
  }

  close(): void {
    this.failed = undefined;
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.expected < 0) {
      const all = this.chunks.length === 1 ? chunk : Buffer.concat(this.chunks);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = all.toString('latin1', 0, end);
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (!length) return this.failed?.(new Error(`an answer without Content-Length: ${head}`));
      this.status = Number(head.slice(9, 12));
      this.bodyStart = end + 4;
      this.expected = this.bodyStart + Number(length[1]);
      this.chunks = [all];
    }
    if (this.size < this.expected) return;
    const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    if (this.size > this.expected) return this.failed?.(new Error('bytes after the answer: the server answered twice'));
    const text = all.toString('utf8', this.bodyStart);
    this.chunks = [];
    this.size = 0;
    this.expected = -1;
    this.done?.(this.status, text);
  }
}

interface LoadClient {
  /** One V1 predict; resolves with its status and body. */
  predict(lane: number, body: string): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

async function leanClient(url: string, model: string, concurrency: number): Promise<LoadClient> {
  const { hostname, port, host } = new URL(url);
  const connections = await Promise.all(Array.from({ length: concurrency }, () => LeanConnection.open(hostname, Number(port))));
  const path = `/v1/models/${model}:predict`;
  return {
    predict: (lane, body) => (connections[lane] as LeanConnection).request(`POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`, body),
    close: async () => connections.forEach((c) => c.close()),
  };
}

function undiciClient(url: string, model: string, concurrency: number): LoadClient {
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  const path = `/v1/models/${model}:predict`;
  return {
    predict: async (_lane, body) => {
      const response = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body });
      return { status: response.statusCode, body: await response.body.text() };
    },
    close: () => pool.close(),
  };
}

/** `requests` one-text V1 predictions, `concurrency` at a time; every answer must be a 200 with predictions. */
async function load(client: LoadClient, pick: (i: number) => string, requests: number, concurrency: number): Promise<{ seconds: number; times: number[] }> {
  const times: number[] = [];
  let next = 0;
  const lane = async (_: unknown, index: number) => {
    while (next < requests) {
      const body = JSON.stringify({ instances: [pick(next++)] });
      const started = performance.now();
      const answer = await client.predict(index, body);
      times.push(performance.now() - started);
      if (answer.status !== 200 || !answer.body.startsWith('{"predictions":[{"label":')) throw new Error(`predict answered ${answer.status}: ${answer.body.slice(0, 200)}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { seconds: (performance.now() - started) / 1000, times: times.sort((a, b) => a - b) };
}

/** Rounds of `count` requests through `client`, each with the server's and the client's CPU time per request. */
async function measure(url: string, client: LoadClient, pick: (i: number) => string, count: number, concurrency: number, afterRound: () => void): Promise<ServedRound> {
  const rounds = await sequence(ROUNDS, async () => {
    const serverBefore = await serverCpuSeconds(url);
    const clientBefore = process.cpuUsage();
    const { seconds, times } = await load(client, pick, count, concurrency);
    const clientCpu = process.cpuUsage(clientBefore);
    const serverCpu = (await serverCpuSeconds(url)) - serverBefore;
    afterRound();
    return {
      perSecond: count / seconds,
      p50Ms: percentile(times, 0.5),
      p99Ms: percentile(times, 0.99),
      serverCpuUs: (serverCpu * 1e6) / count,
      clientCpuUs: (clientCpu.user + clientCpu.system) / count,
    };
  });
  return best(rounds);
}

export async function benchModelServer(options: { requests?: number; concurrencies?: number[] } = {}): Promise<ModelServerBench> {
  const requests = options.requests ?? 6000;
  const concurrencies = options.concurrencies ?? [1, 16, 64];
  const trained = await trainServableModel('bench');
  try {
    // Baseline: the same model's session, in this process, one text at a time.
    const model = await loadServedModel(trained.dataDir, trained.fp32);
    for (let i = 0; i < 500; i++) await model.predict([texts[i] as string]);
    const bareRound = async () => {
      const times: number[] = [];
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      for (let i = 0; i < requests; i++) {
        const t = performance.now();
        await model.predict([texts[i % texts.length] as string]);
        times.push(performance.now() - t);
      }
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      times.sort((a, b) => a - b);
      return { perSecond: requests / seconds, p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99), cpuUs: (cpu.user + cpu.system) / requests };
    };
    const bare = best(await sequence(ROUNDS, bareRound));
    await model.close();

    const floorServer = await startFloorServer();
    let floor: ServedRound;
    try {
      const concurrency = Math.max(...concurrencies);
      const client = await leanClient(floorServer.url, 'bench', concurrency);
      const pick = (i: number) => texts[i % texts.length] as string;
      await load(client, pick, Math.min(requests, 1000), concurrency);
      floor = await measure(floorServer.url, client, pick, requests, concurrency, () => {});
      await client.close();
    } finally {
      await stopServer(floorServer.child);
    }

    const runs: ServingFigure[] = [];
    const serverSideUnderMs: ModelServerBench['cacheHitsUnder1MsInServer'] = { batching: 0, single: 0 };
    for (const batching of [true, false]) {
      for (const cache of [false, true]) {
        const { child, url } = await startServer(trained.dataDir, trained.fp32, { maxBatch: batching ? 64 : 1, batchDelayMs: 2, cacheSize: cache ? 10_000 : 0 });
        try {
          for (const concurrency of concurrencies) {
            const clients: ServingFigure['client'][] = batching && !cache && concurrency === Math.max(...concurrencies) ? ['lean', 'undici'] : ['lean'];
            for (const kind of clients) {
              const client = kind === 'lean' ? await leanClient(url, 'bench', concurrency) : undiciClient(url, 'bench', concurrency);
              let offset = 0;
              const pick = cache ? (i: number) => texts[i % HOT] as string : (i: number) => texts[(offset + i) % texts.length] as string;
              // Warm-up (and, with the cache on, every hot text cached), then the measured run.
              await load(client, pick, Math.min(requests, 1000), concurrency);
              offset = 7919 * concurrency + (kind === 'undici' ? 3 * requests : 0);
              const count = concurrency === 1 ? Math.min(requests, 1000) : requests;
              const round = await measure(url, client, pick, count, concurrency, () => (offset += count));
              runs.push({ batching, cache, concurrency, requests: count, client: kind, ...round });
              await client.close();
            }
          }
          if (cache) serverSideUnderMs[batching ? 'batching' : 'single'] = await shareUnder1Ms(url);
        } finally {
          await stopServer(child);
        }
      }
    }
    return { bare, floor, runs, cacheHitsUnder1MsInServer: serverSideUnderMs, loadAverage: loadavg()[0] as number };
  } finally {
    await trained.harness.close();
  }
}

/** The BENCHMARKS.md section. */
export function modelServerMarkdown(result: ModelServerBench): string {
  const fmt = (n: number, digits = 2) => n.toFixed(digits);
  const find = (batching: boolean, cache: boolean, concurrency: number, client: ServingFigure['client'] = 'lean') =>
    result.runs.find((r) => r.batching === batching && r.cache === cache && r.concurrency === concurrency && r.client === client);
  const peak = find(true, false, 64);
  const peakUndici = find(true, false, 64, 'undici');
  const c16 = find(true, false, 16);
  const hits = result.runs.filter((r) => r.cache);
  const hit16 = find(true, true, 16);
  const hit1 = find(true, true, 1);
  const hitP99 = Math.max(...hits.filter((r) => r.concurrency <= 16).map((r) => r.p99Ms));
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const perCpuSecond = (us: number) => 1e6 / us;
  return [
    '## Model server: `opsbot serve-model` vs a bare onnxruntime-node session',
    '',
    `One text per request (V1 \`:predict\`) over keep-alive connections; the server is its own process (FP32 sentiment model trained by the built-in trainer), the client is the bench process: a lean load generator (raw keep-alive sockets, one request at a time per connection, every answer's status and body checked), plus one row from an undici \`Pool\` for comparison. Baseline: the same model's \`OnnxTextSession\` called in-process, one text at a time, featurisation included. Cache-off runs send texts never sent before; cache-on runs repeat ${HOT} texts, cached during the warm-up. Each figure is the fastest of ${ROUNDS} rounds (the cores are shared with other work, which only slows a round down). Server CPU is the server process's user + system time per prediction, read from its own \`process_cpu_*\` metrics around each round; client CPU is the load generator's, per request.`,
    '',
    `Load average (1 min) at the end of the run: ${fmt(result.loadAverage, 1)} on ${cpus().length} cores. The client, the server and whatever else runs share these cores, while the bare session pays for no HTTP client or server at all: end to end, every request costs the server's CPU plus the client's, on the same two cores.`,
    '',
    `Bare session, one text at a time: ${fmt(result.bare.perSecond, 0)} predictions/s, p50 ${fmt(result.bare.p50Ms, 3)} ms, p99 ${fmt(result.bare.p99Ms, 3)} ms, ${fmt(result.bare.cpuUs, 1)} µs CPU per prediction.`,
    '',
    `Floor: node:http alone (reads each body, parses its JSON, writes a fixed answer; no routing, model, cache or metrics), its own process, concurrency ${Math.max(...result.runs.map((r) => r.concurrency))}, lean client: ${fmt(result.floor.perSecond, 0)} requests/s, p50 ${fmt(result.floor.p50Ms, 3)} ms, p99 ${fmt(result.floor.p99Ms, 3)} ms, ${fmt(result.floor.serverCpuUs, 1)} µs server CPU and ${fmt(result.floor.clientCpuUs, 1)} µs client CPU per request.`,
    '',
    '| batching | cache | concurrency | client | requests | predictions/s | × bare session | p50 | p99 | server CPU / prediction | client CPU / request |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...result.runs.map(
      (r) =>
        `| ${r.batching ? 'on (64, 2 ms)' : 'off'} | ${r.cache ? 'hits' : 'off'} | ${r.concurrency} | ${r.client} | ${r.requests} | ${fmt(r.perSecond, 0)} | ${fmt(r.perSecond / result.bare.perSecond)}× | ${fmt(r.p50Ms, 3)} ms | ${fmt(r.p99Ms, 3)} ms | ${fmt(r.serverCpuUs, 1)} µs | ${fmt(r.clientCpuUs, 1)} µs |`,
    ),
    '',
    '| target | measured | |',
    '|---|---|---|',
    `| batching, concurrency 64: ≥ 5,000 predictions/s | ${fmt(peak?.perSecond ?? 0, 0)}/s (undici client: ${fmt(peakUndici?.perSecond ?? 0, 0)}/s) | ${verdict((peak?.perSecond ?? 0) >= 5000)} |`,
    `| batching, concurrency 64: ≥ 1× the bare session one text at a time, end to end (client on the same cores) | ${fmt((peak?.perSecond ?? 0) / result.bare.perSecond)}× | ${verdict((peak?.perSecond ?? 0) >= result.bare.perSecond)} |`,
    `| the same, per CPU-second: predictions per second of server CPU vs of the bare session's | ${fmt(perCpuSecond(peak?.serverCpuUs ?? Infinity), 0)} vs ${fmt(perCpuSecond(result.bare.cpuUs), 0)} (${fmt(result.bare.cpuUs / (peak?.serverCpuUs ?? Infinity))}×) | ${verdict((peak?.serverCpuUs ?? Infinity) <= result.bare.cpuUs)} |`,
    `| p99 < 10 ms at concurrency 16 (batching, cache off) | ${fmt(c16?.p99Ms ?? Number.NaN, 3)} ms | ${verdict((c16?.p99Ms ?? Infinity) < 10)} |`,
    `| cache hits p99 < 1 ms (concurrency 1 and 16, client to client) | ${fmt(hitP99, 3)} ms | ${verdict(hitP99 < 1)} |`,
    `| cache hits within 1 ms inside the server (its duration histogram, every request of the cache-on servers, misses of the warm-up included) | batching on ${fmt(100 * result.cacheHitsUnder1MsInServer.batching, 1)}%, off ${fmt(100 * result.cacheHitsUnder1MsInServer.single, 1)}% | ${verdict(Math.min(result.cacheHitsUnder1MsInServer.batching, result.cacheHitsUnder1MsInServer.single) >= 0.99)} (≥ 99%) |`,
    '',
    `Reading the misses. With ${hit16 ? fmt(hit16.perSecond, 0) : '?'} cache hits/s at concurrency 16, 16 requests are always in flight, so a request's mean time at the client is at least 16 / throughput = ${hit16 ? fmt(16_000 / hit16.perSecond, 3) : '?'} ms (Little's law): a client-side p99 under 1 ms at concurrency 16 needs well over 16,000 answers/s *and* no scheduling delay on cores running a load of ${fmt(result.loadAverage, 1)}. At concurrency 1 the same hits take p50 ${hit1 ? fmt(hit1.p50Ms, 3) : '?'} ms, p99 ${hit1 ? fmt(hit1.p99Ms, 3) : '?'} ms. The 1× target cannot be met end to end either: the bare session spends ${fmt(result.bare.cpuUs, 1)} µs of CPU per prediction; node:http alone spends ${fmt(result.floor.serverCpuUs, 1)} µs per request before any model runs, the client ${fmt(result.floor.clientCpuUs, 1)} µs more on the same two cores, and a server is one event loop, so it tops out near 1 / its CPU per prediction (${fmt(perCpuSecond(peak?.serverCpuUs ?? Infinity), 0)}/s here) whatever the client does.`,
    '',
    'Where the server\'s time went, and what changed (profiled with `perf` and `--cpu-prof` at concurrency 64, 2026-12-02). Node\'s HTTP machinery (parser, IncomingMessage/ServerResponse, stream writes) and the kernel\'s loopback TCP are about half of a batched miss and are the floor above; featurisation plus the batched ORT run about 12 µs per text; the rest was opsbot\'s own layers, flat in the profile (no single hot spot), so it was cut layer by layer: a cache hit is answered synchronously once the body is read (no promise chain, no batcher turn); the in-process cache is keyed by the text itself with model and version in front (V8\'s string hash, full compare on hit; texts over 256 characters still keyed by SHA-256), SHA-256 kept only for Redis keys; V1 answers are written from fragments precomputed per model and kept on the cached prediction, byte for byte what JSON.stringify wrote; the common V1 and V2 body shapes are checked by hand and only others go to zod (same errors); headers go out in one `writeHead`; the in-flight gauge is read when scraped. prom-client\'s counter and histogram cost about 1 µs per request together (measured) and stay. The batcher already ran a batch at once when nothing else was in flight; one text per request now takes one promise, not a Promise.all. The undici row is the client the first version of this bench used: it costs about twice the lean client\'s CPU per request, taken from the same cores.',
  ].join('\n');
}
