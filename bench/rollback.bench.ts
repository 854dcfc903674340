import { cpus, loadavg } from 'node:os';
import { Agent, request } from 'node:http';
import { pathToFileURL } from 'node:url';
import { grammarInterpreter } from '../app/command-interpreter.js';
import {
  BlueGreenDeployer,
  Dispatcher,
  actionLimitsFrom,
  defaultConfig,
  silentLogger,
  type ChatPort,
  type ConversationRef,
  type DeployTarget,
  type Identity,
  type OpsbotConfig,
} from '../core/index.js';
import { LocalDeployTarget } from '../deploy-targets/local/index.js';
import { openSqliteStateStore } from '../store/index.js';
import { InProcessJobQueue } from '../workers/in-process/in-process-job-queue.js';
import { createJobRunner } from '../workers/job-runner.js';
import { newWorkerId } from '../workers/worker-id.js';
import { trainServableModel } from '../test/helpers/servable-model.js';

/**
 * "Rollback: click → first response from the old version", on the local target with real
 * model servers (onnxruntime-node child processes) behind the real router. v1 then v2 are
 * promoted in staging (v1 stays warm on the other colour); a client sends requests through
 * the stable endpoint back to back the whole time. Each round rolls back (or forward again)
 * and times from the command to the first response the client gets from the other version.
 *
 * Two ways of issuing it, alternating: as a chat user would (the dispatcher gets `rollback
 * sentiment in staging`, then the timed `confirm <code>`: RBAC, audit, the queue, the job, the
 * deployer), and the deployer's rollback() called directly. Baseline: one plain request
 * round trip through the router, measured in the same run.
 */

const MODEL = 'sentiment';
const ENV = 'staging';
/** Switches per way of issuing them (each one flips the version, so the rounds roll back and forward). */
const ROUNDS = 30;
const BASELINE_REQUESTS = 500;
/** Client connections sending requests back to back. */
const LANES = 4;
/** Pause between switches, so each one happens under traffic rather than right after the last. */
const DWELL_MS = 50;
const rita: Identity = { platform: 'slack', workspace: 'T1', userId: 'U0RITA', displayName: 'rita' };
const channel: ConversationRef = { platform: 'slack', workspace: 'T1', channelId: 'C0OPS' };

export interface Summary {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface RollbackBench {
  /** `confirm <code>` of `rollback` handed to the dispatcher → the first response from v1 (the rollback proper). */
  viaChat: Summary;
  /** The same when the rollback goes forward again, to v2 (warm since the last switch). */
  viaChatForward: Summary;
  /** The same, up to the moment switchLive returned (what comes before the switch: dispatch, queue, job, deployer checks). */
  viaChatToSwitch: Summary;
  /** deployer.rollback() called → the first response from the other version. */
  direct: Summary;
  /** One request round trip through the router while nothing changes (the baseline). */
  roundTrip: Summary;
  /** Every request the client sent during the rounds, and those that did not get a 200 from one version. */
  requests: number;
  failed: number;
  /** Requests sent before a switch and answered after it. */
  straddling: number;
  instant: boolean;
  load: [number, number];
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] as number;
function summary(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return { samples: sorted.length, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: sorted[sorted.length - 1] as number };
}

/** A chat that only keeps what it was told (approval cards are not part of this flow in staging). */
class QuietChat implements ChatPort {
  private next = 0;
  async post(): Promise<string> {
    return `m${++this.next}`;
  }
  async update(): Promise<void> {}
}

interface Answer {
  ok: boolean;
  version?: string;
  at: number;
}

/** One V2 infer request through the router on a keep-alive connection; ok only for a 200 whose header and body name the same version. */
function infer(agent: Agent, endpoint: string): Promise<Answer> {
  const url = new URL(`${endpoint}/v2/models/${MODEL}/infer`);
  const body = JSON.stringify({ inputs: [{ name: 'text', shape: [1], datatype: 'BYTES', data: ['the app is fast and reliable'] }] });
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const at = performance.now();
        const header = res.headers['x-opsbot-version'];
        let bodyVersion: unknown;
        try {
          bodyVersion = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model_version?: unknown }).model_version;
        } catch {
          bodyVersion = undefined;
        }
        const version = typeof header === 'string' ? header : undefined;
        resolve({ ok: res.statusCode === 200 && version !== undefined && bodyVersion === version, version, at });
      });
      res.on('error', () => resolve({ ok: false, at: performance.now() }));
    });
    req.on('error', () => resolve({ ok: false, at: performance.now() }));
    req.end(body);
  });
}

export async function benchRollback(): Promise<RollbackBench> {
  const loadBefore = loadavg()[0] ?? 0;
  const model = await trainServableModel(MODEL);
  const config: OpsbotConfig = { ...defaultConfig(), dataDir: model.dataDir };
  config.rbac = { ...config.rbac, users: { 'slack:T1:U0RITA': ['deployer'] } };
  config.environments = config.environments.map((e) => (e.name === ENV ? { ...e, minReplicas: 1, replicas: 1 } : e));
  const store = openSqliteStateStore(':memory:');
  for (const { version: _v, createdAt: _c, ...entry } of [model.fp32, model.int8]) await store.registry.registerVersion(entry);
  const local = new LocalDeployTarget({ dataDir: model.dataDir, registry: store.registry, config: { basePort: 19500 } });
  // Times each switch of the endpoint, without changing what it does.
  let switchedAt = 0;
  const switches: number[] = [];
  const target: DeployTarget = new Proxy(local, {
    get(object, name, receiver) {
      if (name !== 'switchLive') return Reflect.get(object, name, receiver) as unknown;
      return async (...args: Parameters<DeployTarget['switchLive']>) => {
        await object.switchLive(...args);
        switchedAt = performance.now();
        switches.push(switchedAt);
      };
    },
  });
  const deployer = new BlueGreenDeployer({ target, store, config, log: silentLogger, chat: new QuietChat() });
  const queue = new InProcessJobQueue({ attempts: 1, backoffMs: 0, concurrency: 2 });
  queue.startWorker(
    createJobRunner({ store, dataDir: model.dataDir, workDir: model.harness.dir, log: silentLogger, limits: actionLimitsFrom(config), environments: config.environments.map((e) => e.name), deployer }),
    newWorkerId(),
  );
  const dispatcher = new Dispatcher({ config, store, queue, chat: new QuietChat(), interpret: grammarInterpreter(config), log: silentLogger, deployer });
  const say = (text: string) => dispatcher.handle({ identity: rita, conversation: channel, text });
  const finished = async (jobId: string) => {
    for (;;) {
      const job = await store.jobs.get(jobId);
      if (job && ['completed', 'failed', 'cancelled'].includes(job.status)) {
        if (job.status !== 'completed') throw new Error(`job ${jobId} ${job.status}: ${job.error}`);
        return job;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (const version of [1, 2]) {
      const result = await say(`deploy ${MODEL} v${version} to ${ENV}`);
      if (!result.jobId) throw new Error(`deploy v${version} was not queued: ${result.reply.text}`);
      await finished(result.jobId);
    }
    const endpoint = (await local.status({ model: MODEL, env: ENV })).endpoint as string;

    const roundTrips: number[] = [];
    for (let i = 0; i < BASELINE_REQUESTS; i++) {
      const started = performance.now();
      const answer = await infer(agent, endpoint);
      if (!answer.ok) throw new Error('the baseline request failed');
      roundTrips.push(answer.at - started);
    }

    // The clients: LANES connections sending requests back to back from here on; a waiter hears the first answer of each version.
    let running = true;
    let requests = 0;
    let failed = 0;
    let straddling = 0;
    let waiting: { version: string; after: number; resolve: (at: number) => void } | undefined;
    const lane = async (laneAgent: Agent) => {
      while (running) {
        const sent = performance.now();
        const answer = await infer(laneAgent, endpoint);
        requests++;
        if (!answer.ok) failed++;
        if (switches.some((at) => at > sent && at < answer.at)) straddling++;
        if (answer.ok && waiting && answer.version === waiting.version && answer.at > waiting.after) {
          waiting.resolve(answer.at);
          waiting = undefined;
        }
      }
    };
    const laneAgents = Array.from({ length: LANES }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
    const clients = Promise.all(laneAgents.map(lane));
    const firstAnswerOf = (version: number, after: number) => new Promise<number>((resolve) => (waiting = { version: String(version), after, resolve }));

    const viaChatBack: number[] = [];
    const viaChatForward: number[] = [];
    const viaChatToSwitch: number[] = [];
    const direct: number[] = [];
    let live = 2;
    let instant = true;
    for (let round = 0; round < 2 * ROUNDS; round++) {
      const to = live === 2 ? 1 : 2;
      // Pairs of rounds per way of issuing it, so each way rolls back to v1 and forward to v2 equally often.
      if (Math.floor(round / 2) % 2 === 0) {
        const asked = await say(`rollback ${MODEL} in ${ENV}`);
        if (!asked.confirmationToken) throw new Error(`rollback asked for no confirmation: ${asked.reply.text}`);
        const started = performance.now();
        const seen = firstAnswerOf(to, started);
        const confirmed = await say(`confirm ${asked.confirmationToken}`);
        if (!confirmed.jobId) throw new Error(`the rollback was not queued: ${confirmed.reply.text}`);
        const at = await seen;
        (to === 1 ? viaChatBack : viaChatForward).push(at - started);
        viaChatToSwitch.push(switchedAt - started);
        const job = await finished(confirmed.jobId);
        instant &&= /at once/.test(job.result?.summary ?? '');
      } else {
        const started = performance.now();
        const seen = firstAnswerOf(to, started);
        const result = await deployer.rollback({ jobId: `j-bench${round}`, model: MODEL, env: ENV, version: to, by: rita }, () => undefined);
        direct.push((await seen) - started);
        instant &&= result.instant;
      }
      live = to;
      // Traffic between switches, so that requests are in flight across each one.
      await new Promise((resolve) => setTimeout(resolve, DWELL_MS));
    }
    running = false;
    await clients;
    for (const laneAgent of laneAgents) laneAgent.destroy();
    return {
      viaChat: summary(viaChatBack),
      viaChatForward: summary(viaChatForward),
      viaChatToSwitch: summary(viaChatToSwitch),
      direct: summary(direct),
      roundTrip: summary(roundTrips),
      requests,
      failed,
      straddling,
      instant,
      load: [loadBefore, loadavg()[0] ?? 0],
    };
  } finally {
    agent.destroy();
    await queue.close();
    await local.close();
    await store.close();
    await model.harness.close();
  }
}

/** The BENCHMARKS.md section. */
export function rollbackMarkdown(result: RollbackBench): string {
  const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
  const ratio = (n: number) => `${(n / result.roundTrip.p50Ms).toFixed(0)}×`;
  const row = (label: string, s: Summary) => `| ${label} | ${s.samples} | ${ms(s.p50Ms)} | ${ms(s.p99Ms)} | ${ms(s.maxMs)} | ${ratio(s.p50Ms)} / ${ratio(s.p99Ms)} |`;
  const met = Math.max(result.viaChat.maxMs, result.viaChatForward.maxMs, result.direct.maxMs) < 1000 ? 'met' : 'MISSED';
  return [
    '## Rollback: click → first response from the old version',
    '',
    `The local target with real model servers (one \`opsbot serve-model\` process per colour, onnxruntime-node) behind its router; sentiment v1 then v2 promoted in staging, so v1 stays warm on the other colour. ${LANES} clients send V2 infer requests through the stable endpoint back to back, each on its own keep-alive connection, for the whole run (in the bot's process, as the router is: the clients share its event loop). Each round switches to the other version (${2 * ROUNDS} switches: back to v1, forward to v2, …, ${DWELL_MS} ms of traffic between them) and times from issuing it to the first response any client gets with the other version's \`x-opsbot-version\`. Alternating pairs of rounds (one back, one forward) issue it as a chat user would — the dispatcher gets \`rollback sentiment in staging\`, and the timer starts at the \`confirm <code>\` that follows (RBAC, audit, the in-process queue, the rollback job, the deployer's checks and bookkeeping) — or by calling \`BlueGreenDeployer.rollback()\` directly. Baseline: a plain request round trip through the router while nothing changes, ${BASELINE_REQUESTS} of them in the same run; ratios are p50 / p99 against its p50.`,
    '',
    '| measure | switches | p50 | p99 | max | vs one round trip (p50) |',
    '|---|---|---|---|---|---|',
    row('chat, back to v1: `confirm` → first response with `x-opsbot-version: 1`', result.viaChat),
    row('chat, forward to v2: `confirm` → first response with `x-opsbot-version: 2`', result.viaChatForward),
    row('… of which `confirm` → switchLive returned (both directions)', result.viaChatToSwitch),
    row('`deployer.rollback()` called → first response from the other version (both directions)', result.direct),
    row('baseline: one request round trip through the router', result.roundTrip),
    '',
    `| target | measured | |`,
    '|---|---|---|',
    `| click → first response from the old version < 1 s | max ${ms(Math.max(result.viaChat.maxMs, result.viaChatForward.maxMs, result.direct.maxMs))} over all ${2 * ROUNDS} switches | ${met} |`,
    `| failed requests during the switches | ${result.failed} of ${result.requests} (${result.straddling} of them in flight across a switch) | ${result.failed === 0 ? 'met' : 'MISSED'} (0) |`,
    `| every switch instant (the warm colour, no rollout) | ${result.instant ? 'yes' : 'no'} | ${result.instant ? 'met' : 'MISSED'} |`,
    '',
    `Load average (1 min) ${result.load[0].toFixed(1)} before, ${result.load[1].toFixed(1)} after, on ${cpus().length} cores. A failed request is any answer that is not a 200 whose \`x-opsbot-version\` header and body \`model_version\` agree, or a connection error.`,
  ].join('\n');
}

// `npx tsx bench/rollback.bench.ts` prints the section.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${rollbackMarkdown(await benchRollback())}\n`);
  process.exit(0);
}
