/**
 * @jest-environment ./test/helpers/onnx-environment.ts
 */
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServingSlot } from '../../../core/deployments/deploy-target.port.js';
import type { RolloutFailedError } from '../../../core/deployments/rollout-failed.error.js';
import type { Logger } from '../../../core/logger.port.js';
import { LocalDeployTarget, type LocalDeployTargetOptions } from '../../../deploy-targets/local/index.js';
import { deployTargetContract } from '../../helpers/deploy-target-contract.js';
import { eventually } from '../../helpers/eventually.js';
import { call } from '../../helpers/model-server-client.js';
import { isAlive } from '../../helpers/process-alive.js';
import { trainServableModel, type ServableModel } from '../../helpers/servable-model.js';

/**
 * The local deploy target with real `opsbot serve-model` children (from source, through tsx)
 * serving a really trained model, and real HTTP through its routers. One model is trained for
 * the whole file; each group deploys to its own environment.
 */

let trained: ServableModel | undefined;
let brokenVersion = 0;
/** Trains once (v1 FP32, v2 INT8) and registers v3, a copy of v1 whose model.onnx is garbage. */
async function servable(): Promise<ServableModel> {
  if (trained) return trained;
  trained = await trainServableModel();
  const { fp32, dataDir, harness } = trained;
  const brokenPath = join(dirname(fp32.artifactPath), '..', 'j-broken', 'model.json');
  cpSync(join(dataDir, dirname(fp32.artifactPath)), join(dataDir, dirname(brokenPath)), { recursive: true });
  writeFileSync(join(dataDir, dirname(brokenPath), 'model.onnx'), 'not an onnx file');
  const { version: _v, createdAt: _c, ...entry } = fp32;
  brokenVersion = (await harness.store.registry.registerVersion({ ...entry, jobId: 'j-broken', artifactPath: brokenPath })).version;
  return trained;
}
afterAll(async () => trained?.harness.close());

/** A random high range, so runs beside other tests (and agents) rarely meet on a port. */
const basePort = 20_000 + Math.floor(Math.random() * 20_000);

/** Log lines kept for assertions (the children's output lands here too). */
function memoryLog(): Logger & { lines: Array<{ level: string; message?: string; details: object }> } {
  const lines: Array<{ level: string; message?: string; details: object }> = [];
  const at = (level: string) => (details: object, message?: string) => void lines.push({ level, message, details });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function localTarget(model: ServableModel, extra: Partial<LocalDeployTargetOptions> = {}): LocalDeployTarget {
  return new LocalDeployTarget({
    dataDir: model.dataDir,
    registry: model.harness.store.registry,
    config: { basePort, stopGraceSeconds: 5 },
    logLevel: 'warn',
    // Quick restarts and a short crash-loop limit keep the failing-rollout cases short.
    backoff: { initialMs: 100, maxMs: 1000 },
    crashLoopLimit: 2,
    rolloutTimeoutMs: 60_000,
    ...extra,
  });
}

deployTargetContract('local', async () => {
  const model = await servable();
  let current = localTarget(model);
  return {
    target: current,
    slot: { model: 'sentiment', env: 'dev' },
    v1: model.fp32.version,
    v2: model.int8.version,
    broken: brokenVersion,
    labels: ['negative', 'positive'],
    texts: model.texts,
    restart: async () => {
      await current.close();
      current = localTarget(model);
      return current;
    },
    close: () => current.close(),
  };
});

const infer = (url: string, text: string) => call(`${url}/v2/models/sentiment/infer`, { body: { inputs: [{ name: 'text', datatype: 'BYTES', shape: [1], data: [text] }] } });

/** Sequential requests through `url` until `stop()`; records every answer (a thrown fetch counts as status 0). */
function hammer(url: string, text: string) {
  const answers: Array<{ status: number; version?: string; pid?: string }> = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const answer = await infer(url, text).then(
        (r) => ({ status: r.status, version: r.body.model_version as string | undefined, pid: r.headers.get('x-opsbot-pid') ?? undefined }),
        () => ({ status: 0 }),
      );
      answers.push(answer);
    }
  })();
  return {
    answers,
    stop: async () => {
      running = false;
      await done;
      return answers;
    },
  };
}

describe('local deploy target: routing, scaling, supervision', () => {
  let model: ServableModel;
  let target: LocalDeployTarget;
  const slot: ServingSlot = { model: 'sentiment', env: 'staging' };
  let endpoint: string;
  let blocker: Server;

  beforeAll(async () => {
    model = await servable();
    // Another program on the base port: the slot's routers must skip it.
    blocker = createServer((_req, res) => res.end('not opsbot'));
    await new Promise<void>((resolve, reject) => blocker.once('error', reject).listen(basePort, '127.0.0.1', () => resolve()));
    target = localTarget(model);
    await target.rollOut({ ...slot, colour: 'blue', version: model.fp32.version, scaling: { replicas: 1 } }, () => {});
    await target.switchLive(slot, 'blue');
    endpoint = (await target.status(slot)).endpoint as string;
  }, 120_000);
  afterAll(async () => {
    await target?.close();
    await new Promise((resolve) => blocker?.close(resolve));
  }, 60_000);

  it('listens on loopback ports from basePort, skipping one in use, and records them', async () => {
    const status = await target.status(slot);
    const port = Number(new URL(endpoint).port);
    expect(new URL(endpoint).hostname).toBe('127.0.0.1');
    expect(port).toBeGreaterThan(basePort);
    expect(Number(new URL(status.previewEndpoint as string).port)).not.toBe(port);
    const file = JSON.parse(readFileSync(join(model.dataDir, 'deploy', 'local-endpoints.json'), 'utf8')) as { slots: Array<Record<string, unknown>> };
    expect(file.slots).toContainEqual({ model: 'sentiment', env: 'staging', endpoint: port, preview: Number(new URL(status.previewEndpoint as string).port) });
    // Any path goes through: V1, V2, health, metrics.
    expect((await call(`${endpoint}/healthz`)).status).toBe(200);
    expect((await call(`${endpoint}/v1/models/sentiment:predict`, { body: { instances: model.texts } })).status).toBe(200);
    const metrics = await fetch(`${endpoint}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/# TYPE/);
  }, 30_000);

  it('the preview endpoint answers from the idle colour; before anything is there, 503 with a JSON reason', async () => {
    const { previewEndpoint } = await target.status(slot);
    const nothing = await infer(previewEndpoint as string, 'anything');
    expect(nothing.status).toBe(503);
    expect(nothing.body.error).toMatch(/\(green\) runs no version/);
    await target.rollOut({ ...slot, colour: 'green', version: model.int8.version, scaling: { replicas: 1 } }, () => {});
    const preview = await infer(previewEndpoint as string, model.texts[0] as string);
    expect(preview).toMatchObject({ status: 200, body: { model_version: String(model.int8.version) } });
    expect(preview.headers.get('x-opsbot-colour')).toBe('green');
    expect((await infer(endpoint, model.texts[0] as string)).body.model_version).toBe(String(model.fp32.version));
  }, 60_000);

  it('switchLive under constant traffic: no request fails, and each client sees the version change exactly once', async () => {
    const clients = [0, 1, 2].map((i) => hammer(endpoint, model.texts[i] as string));
    try {
      await eventually('traffic on blue', () => clients.every((c) => c.answers.length >= 10));
      await target.switchLive(slot, 'green');
      await eventually('traffic on green', () => clients.every((c) => c.answers.filter((a) => a.version === String(model.int8.version)).length >= 10));
    } finally {
      await Promise.all(clients.map((c) => c.stop()));
    }
    for (const client of clients) {
      const answers = client.answers;
      expect(answers.filter((a) => a.status !== 200)).toEqual([]);
      const versions = answers.map((a) => a.version);
      const changes = versions.filter((v, i) => i > 0 && v !== versions[i - 1]).length;
      expect(changes).toBe(1);
      expect(versions[0]).toBe(String(model.fp32.version));
      expect(versions.at(-1)).toBe(String(model.int8.version));
    }
    // The old colour was not stopped: it is still there for an instant rollback.
    expect((await target.status(slot)).colours.blue).toMatchObject({ readyReplicas: 1 });
  }, 60_000);

  it('scale to 3: three distinct server processes answer in turn', async () => {
    await target.scale(slot, 'green', { replicas: 3 });
    await eventually('3 ready', async () => (await target.status(slot)).colours.green.readyReplicas === 3, 60_000);
    const answers = await Promise.all(Array.from({ length: 9 }, (_, i) => infer(endpoint, `text ${i}`)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const pids = new Set(answers.map((a) => Number(a.headers.get('x-opsbot-pid'))));
    const replicas = new Set(answers.map((a) => a.headers.get('x-opsbot-replica')));
    expect(pids.size).toBe(3);
    expect(replicas.size).toBe(3);
    for (const pid of pids) expect(isAlive(pid)).toBe(true);
    expect(pids.has(process.pid)).toBe(false);
  }, 90_000);

  it('SIGKILL of one server: clients see no error, the router skips it, and it is restarted', async () => {
    const before = await Promise.all(Array.from({ length: 6 }, (_, i) => infer(endpoint, `before ${i}`)));
    const victim = Number(before[0]?.headers.get('x-opsbot-pid'));
    const clients = [0, 1].map((i) => hammer(endpoint, model.texts[i] as string));
    let seen: Set<number>;
    try {
      await eventually('traffic', () => clients.every((c) => c.answers.length >= 5));
      process.kill(victim, 'SIGKILL');
      await eventually('the killed server gone', () => !isAlive(victim));
      await eventually('a replacement ready', async () => (await target.status(slot)).colours.green.readyReplicas === 3, 30_000);
      seen = await eventually('a new pid answering', async () => {
        const pids = new Set((await Promise.all(Array.from({ length: 6 }, (_, i) => infer(endpoint, `after ${i}`)))).map((a) => Number(a.headers.get('x-opsbot-pid'))));
        return pids.size === 3 && !pids.has(victim) ? pids : undefined;
      });
    } finally {
      await Promise.all(clients.map((c) => c.stop()));
    }
    const answers = clients.flatMap((c) => c.answers);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(answers.some((a) => a.pid === String(victim))).toBe(true);
    expect(seen.size).toBe(3);
  }, 90_000);

  it('with no ready server, the endpoint answers 503 with a JSON error', async () => {
    await target.retire(slot, 'green');
    const answer = await infer(endpoint, 'anything');
    expect(answer.status).toBe(503);
    expect(answer.contentType).toMatch(/application\/json/);
    expect(answer.body.error).toMatch(/stopped \(0 replicas\)/);
    await target.switchLive(slot, 'blue');
    expect((await infer(endpoint, 'anything')).status).toBe(200);
  }, 60_000);

  it('a version that cannot load: the failure says why, from the server\'s own output, and what still serves', async () => {
    const progress: string[] = [];
    const failure = await target.rollOut({ ...slot, colour: 'green', version: brokenVersion, scaling: { replicas: 1 } }, (p) => progress.push(p.message)).catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    const message = (failure as RolloutFailedError).userMessage;
    expect(message).toMatch(new RegExp(`sentiment v${brokenVersion} on green in staging did not start: its model server stopped 2 times before it was ready \\(the last time it exited with code 1\\)`));
    expect(message).toMatch(/blue \(v1\) still serves/);
    expect(message).toMatch(/Last lines of its output:\n[^]*could not be loaded/);
    expect(progress[0]).toMatch(/green: 0\/1 model servers/);
    // The colour it was rolled out to keeps what it had (v2, stopped), the live one serves.
    expect((await target.status(slot)).colours.green).toMatchObject({ version: model.int8.version, desiredReplicas: 0 });
    expect((await infer(endpoint, 'anything')).status).toBe(200);
  }, 60_000);

  it('close() stops every server process it started', async () => {
    const extra = localTarget(model, { config: { basePort: basePort + 500 } });
    await extra.rollOut({ model: 'sentiment', env: 'prod', colour: 'blue', version: model.fp32.version, scaling: { replicas: 2 } }, () => {});
    const pids = await serverPids(extra, 'prod');
    expect(pids.length).toBe(2);
    await extra.close();
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  }, 60_000);
});

/** Alive and not a zombie (an orphan's exit is reaped by whatever adopted it, which in a container may never happen). */
function running(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The pids of a slot's blue servers, read through its preview router's response headers. */
async function serverPids(target: LocalDeployTarget, env: string): Promise<number[]> {
  const { previewEndpoint } = await target.status({ model: 'sentiment', env });
  const answers = await Promise.all(Array.from({ length: 6 }, () => call(`${previewEndpoint}/healthz`)));
  return [...new Set(answers.map((a) => Number(a.headers.get('x-opsbot-pid'))))];
}

describe('local deploy target: servers do not outlive opsbot', () => {
  it('a model server exits by itself when opsbot is killed with SIGKILL (no exit handler runs)', async () => {
    const model = await servable();
    const repo = fileURLToPath(new URL('../../../', import.meta.url));
    const targetModule = new URL('../../../deploy-targets/local/index.ts', import.meta.url).href;
    const artifactPath = model.fp32.artifactPath;
    // A stand-in opsbot: another process running the target, which the test then kills outright.
    const script = `
      import { register } from 'tsx/esm/api';
      register();
      const { LocalDeployTarget } = await import(${JSON.stringify(targetModule)});
      const target = new LocalDeployTarget({
        dataDir: ${JSON.stringify(model.dataDir)},
        registry: { getVersion: async () => ({ artifactPath: ${JSON.stringify(artifactPath)}, params: {} }) },
        config: { basePort: ${basePort + 1000} },
        logLevel: 'warn',
      });
      const slot = { model: 'sentiment', env: 'orphan-check' };
      await target.rollOut({ ...slot, colour: 'blue', version: 1, scaling: { replicas: 1 } }, () => {});
      await target.switchLive(slot, 'blue');
      const { endpoint } = await target.status(slot);
      const response = await fetch(endpoint + '/healthz');
      process.stdout.write('PID ' + response.headers.get('x-opsbot-pid') + '\\n');
    `;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    parent.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    parent.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    try {
      const pid = Number(await eventually(`the server's pid (stderr: ${err})`, () => /PID (\d+)/.exec(out)?.[1], 45_000));
      expect(isAlive(pid)).toBe(true);
      parent.kill('SIGKILL');
      await eventually('the orphaned model server to exit', () => !running(pid), 15_000);
    } finally {
      parent.kill('SIGKILL');
    }
  }, 90_000);
});
