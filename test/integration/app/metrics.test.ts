import { request } from 'node:http';
import { startHttpServer, type RunningHttpServer } from '../../../app/http-server.js';
import { startWorkerMetricsServer } from '../../../app/metrics/index.js';
import { OpsbotMetrics } from '../../../app/metrics/opsbot-metrics.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertGroupId, loadConfig, silentLogger, type Identity } from '../../../core/index.js';
import { createSlackAdapter } from '../../../bot/slack/index.js';
import { startEmbeddedBot, type EmbeddedBot } from '../../helpers/embedded-bot.js';
import { SlackApiFake } from '../../helpers/slack-api-fake.js';
import { sendToSlackRoute, slashCommandRequest } from '../../helpers/slack-request.js';
import { eventually } from '../../helpers/eventually.js';
import { writeSentimentCsv } from '../../helpers/text-dataset.js';

/** Every series README's "Metrics" table lists (the default process metrics are checked by a few of theirs). */
const DOCUMENTED: Record<string, 'counter' | 'gauge' | 'histogram'> = {
  opsbot_commands_total: 'counter',
  opsbot_command_duration_seconds: 'histogram',
  opsbot_audit_records_appended_total: 'counter',
  opsbot_chat_ack_duration_seconds: 'histogram',
  opsbot_queue_jobs: 'gauge',
  opsbot_job_duration_seconds: 'histogram',
  opsbot_jobs_running: 'gauge',
  opsbot_worker_job_slots: 'gauge',
  opsbot_worker_gpu_slots: 'gauge',
  opsbot_training_epoch: 'gauge',
  opsbot_training_loss: 'gauge',
  opsbot_approvals_pending: 'gauge',
  opsbot_deployments: 'gauge',
  opsbot_deployment_live_version: 'gauge',
  opsbot_metrics_collect_errors_total: 'counter',
  opsbot_alerts_firing: 'gauge',
  opsbot_process_cpu_seconds_total: 'counter',
  opsbot_process_resident_memory_bytes: 'gauge',
  opsbot_nodejs_eventloop_lag_seconds: 'gauge',
  opsbot_nodejs_heap_size_used_bytes: 'gauge',
};

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Exposition {
  help: Map<string, string>;
  type: Map<string, string>;
  samples: Sample[];
}

/** A small parser of the Prometheus text format (0.0.4): every line is a comment, HELP, TYPE or a sample, or it fails. */
function parseExposition(text: string): Exposition {
  const help = new Map<string, string>();
  const type = new Map<string, string>();
  const samples: Sample[] = [];
  const name = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const sampleLine = new RegExp(`^(${name})(?:\\{(.*)\\})? (\\S+)(?: \\d+)?$`);
  const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = new RegExp(`^# (HELP|TYPE) (${name}) (.*)$`).exec(line);
    if (meta) {
      (meta[1] === 'HELP' ? help : type).set(meta[2]!, meta[3]!);
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = sampleLine.exec(line);
    if (!sample) throw new Error(`not a Prometheus text-format line: ${line}`);
    const labels: Record<string, string> = {};
    const body = sample[2] ?? '';
    labelPair.lastIndex = 0;
    let consumed = 0;
    for (let pair = labelPair.exec(body); pair; pair = labelPair.exec(body)) {
      labels[pair[1]!] = pair[2]!;
      consumed = labelPair.lastIndex;
    }
    if (consumed !== body.length) throw new Error(`bad labels in: ${line}`);
    // Prometheus reads values with Go's ParseFloat, case-insensitive for NaN and Inf (prom-client writes `Nan`).
    const raw = sample[3]!;
    const value = /^nan$/i.test(raw) ? NaN : /^\+?inf$/i.test(raw) ? Infinity : /^-inf$/i.test(raw) ? -Infinity : Number(raw);
    if (Number.isNaN(value) && !/^nan$/i.test(raw)) throw new Error(`bad value in: ${line}`);
    samples.push({ name: sample[1]!, labels, value });
  }
  for (const [series, kind] of type) if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(kind)) throw new Error(`bad TYPE ${kind} of ${series}`);
  return { help, type, samples };
}

function value(page: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  return page.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function scrape(url: string): Promise<Exposition> {
  const answer = await get(`${url}/metrics`);
  expect(answer.status).toBe(200);
  return parseExposition(answer.body);
}

describe('/metrics of the embedded bot (real HTTP, prom-client text format)', () => {
  let bot: EmbeddedBot;
  let http: RunningHttpServer;

  beforeAll(async () => {
    bot = await startEmbeddedBot({
      configure: (config) => {
        config.http.port = 0;
      },
      prepare: (dir) => {
        writeSentimentCsv(dir, 400);
        writeSentimentCsv(dir, 20_000, 'big.csv');
      },
    });
    http = await startHttpServer(bot.runtime.config, [], silentLogger, { metrics: bot.runtime.metrics });
  });

  afterAll(async () => {
    await http?.close();
    await bot?.stop();
  });

  it('serves every documented series with HELP and TYPE, and moves counters as commands, jobs and acks happen', async () => {
    const { chat, runtime } = bot;
    const before = await get(`${http.url}/metrics`);
    expect(before.status).toBe(200);
    expect(before.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const first = parseExposition(before.body);
    for (const [name, kind] of Object.entries(DOCUMENTED)) {
      expect({ name, type: first.type.get(name) }).toEqual({ name, type: kind });
      expect(first.help.get(name)?.length).toBeGreaterThan(10);
    }
    // README's table and the exposition agree: every series it lists is served, with the type it says.
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Metrics\n'), readme.indexOf('## Audit log\n'));
    const listed = [...section.matchAll(/^\| `(opsbot_[a-z_]+)` \| (counter|gauge|histogram) \|/gm)].map((m) => [m[1]!, m[2]!] as const);
    expect(listed.map(([name]) => name).sort()).toEqual(Object.keys(DOCUMENTED).filter((name) => !/^opsbot_(process|nodejs)_/.test(name)).sort());
    for (const [name, kind] of listed) expect({ name, type: first.type.get(name) }).toEqual({ name, type: kind });
    // Nothing but opsbot's own series: one registry of its own, not prom-client's global one.
    expect([...first.type.keys()].filter((name) => !name.startsWith('opsbot_'))).toEqual([]);
    expect(value(first, 'opsbot_worker_job_slots', { state: 'free' })).toBe(runtime.config.jobs.concurrency);
    expect(value(first, 'opsbot_queue_jobs', { queue: 'in-process', state: 'waiting' })).toBe(0);

    chat.type('help');
    await chat.waitFor(/train/);
    chat.type('frobnicate the flux capacitor');
    chat.type('train sentiment --dataset sentiment.csv --epochs 2');
    await chat.waitFor(/Trained sentiment v1 on 400 examples/);
    const page = await eventually('the train job timed', async () => {
      const now = await scrape(http.url);
      return (value(now, 'opsbot_job_duration_seconds_count', { kind: 'train', outcome: 'completed' }) ?? 0) >= 1 && now;
    });
    expect(value(page, 'opsbot_commands_total', { action: 'help', outcome: 'completed' })).toBe(1);
    expect(value(page, 'opsbot_commands_total', { action: 'none', outcome: 'invalid' })).toBe(1);
    expect(value(page, 'opsbot_commands_total', { action: 'train', outcome: 'accepted' })).toBe(1);
    expect(value(page, 'opsbot_command_duration_seconds_count', { action: 'train' })).toBe(1);
    expect(value(page, 'opsbot_command_duration_seconds_bucket', { action: 'help', le: '+Inf' })).toBe(1);
    // The dispatcher's records (help, invalid, accepted); the job runner's own (started, completed) are not the dispatcher's.
    expect(value(page, 'opsbot_audit_records_appended_total', { outcome: 'accepted' })).toBe(1);
    expect(value(page, 'opsbot_audit_records_appended_total', { outcome: 'invalid' })).toBe(1);
    expect(value(page, 'opsbot_jobs_running', { kind: 'train' })).toBe(0);
    // A finished training job leaves no epoch or loss series behind.
    expect(value(page, 'opsbot_training_epoch', { model: 'sentiment' })).toBeUndefined();

    // A request where Slack delivers: timed to its answer (404 here: no Slack app is configured).
    expect((await get(`${http.url}/slack/events`, { 'content-type': 'application/json' }, 'POST')).status).toBe(404);
    const acked = await scrape(http.url);
    expect(value(acked, 'opsbot_chat_ack_duration_seconds_count', { platform: 'slack', status: '4xx' })).toBe(1);
  }, 60_000);

  it('shows a running training job’s epoch and loss by model, and its cancellation', async () => {
    const { chat, runtime } = bot;
    chat.type('train big --dataset big.csv --epochs 500');
    const [, jobId] = await chat.waitFor(/Job (j-[0-9a-z]+): train big/);
    const running = await eventually('epochs reported', async () => {
      const now = await scrape(http.url);
      return (value(now, 'opsbot_training_epoch', { model: 'big' }) ?? 0) >= 1 && now;
    });
    expect(value(running, 'opsbot_training_loss', { model: 'big' })).toBeGreaterThan(0);
    expect(value(running, 'opsbot_jobs_running', { kind: 'train' })).toBe(1);
    expect(value(running, 'opsbot_worker_job_slots', { state: 'used' })).toBe(1);
    expect(value(running, 'opsbot_queue_jobs', { queue: 'in-process', state: 'active' })).toBe(1);
    chat.type(`cancel ${jobId}`);
    await eventually('cancelled', async () => (await runtime.store.jobs.get(jobId as string))?.status === 'cancelled');
    const after = await eventually('the cancelled attempt timed', async () => {
      const now = await scrape(http.url);
      return value(now, 'opsbot_job_duration_seconds_count', { kind: 'train', outcome: 'cancelled' }) === 1 && now;
    });
    expect(value(after, 'opsbot_training_epoch', { model: 'big' })).toBeUndefined();
    expect(value(after, 'opsbot_worker_job_slots', { state: 'used' })).toBe(0);
  }, 60_000);

  it('reads approvals, phases and live versions from the blue-green store when scraped', async () => {
    const { blueGreen } = bot.runtime.store;
    const requestedBy: Identity = { platform: 'local', workspace: '', userId: 'alice', displayName: 'alice' };
    await blueGreen.create({
      id: 'd-metrics1',
      jobId: 'j-metrics1',
      model: 'sentiment',
      env: 'prod',
      version: 2,
      colour: 'green',
      previousVersion: 1,
      requestedBy,
      conversation: { platform: 'local', workspace: '', channelId: 'terminal' },
      approvalsRequired: 2,
      phase: 'awaiting_approval',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await blueGreen.saveSlot({ model: 'sentiment', env: 'prod', live: 'blue', colours: { blue: { version: 1, scaling: { replicas: 1 } }, green: { version: 2, scaling: { replicas: 1 } } } });
    const page = await scrape(http.url);
    expect(value(page, 'opsbot_approvals_pending')).toBe(1);
    expect(value(page, 'opsbot_deployments', { phase: 'awaiting_approval' })).toBe(1);
    expect(value(page, 'opsbot_deployment_live_version', { model: 'sentiment', env: 'prod', colour: 'blue' })).toBe(1);
    expect(page.samples.filter((s) => s.name === 'opsbot_deployment_live_version')).toHaveLength(1);
  });

  it('counts the alert groups firing now, by severity and source, bounding free-text severities', async () => {
    const { alertGroups } = bot.runtime.store;
    const group = (key: string, severity: string, receiver: string) =>
      alertGroups.create({
        id: alertGroupId(key),
        groupKey: key,
        receiver,
        conversation: { platform: 'local', workspace: '', channelId: 'terminal' },
        status: 'firing',
        groupLabels: {},
        commonLabels: { severity },
        commonAnnotations: {},
        truncatedAlerts: 0,
        alerts: [],
        firstSeen: new Date().toISOString(),
        lastSeen: new Date().toISOString(),
      });
    await group('{}:{a="1"}', 'critical', 'opsbot');
    await group('{}:{a="2"}', 'critical', 'opsbot');
    await group('{}:{a="3"}', 'warning', 'opsbot-embedded');
    await group('{}:{a="4"}', 'page-the-cto-now', 'opsbot');
    const page = await scrape(http.url);
    expect(value(page, 'opsbot_alerts_firing', { severity: 'critical', source: 'alertmanager' })).toBe(2);
    expect(value(page, 'opsbot_alerts_firing', { severity: 'warning', source: 'embedded' })).toBe(1);
    expect(value(page, 'opsbot_alerts_firing', { severity: 'other', source: 'alertmanager' })).toBe(1);
    expect(value(page, 'opsbot_alerts_firing', { severity: 'critical', source: 'embedded' })).toBe(0);
  });

  it('keeps label sets bounded when many people send many different texts', async () => {
    const before = await scrape(http.url);
    const seriesOf = (page: Exposition) => page.samples.filter((s) => s.name === 'opsbot_commands_total' || s.name === 'opsbot_command_duration_seconds_count' || s.name === 'opsbot_audit_records_appended_total').length;
    for (let n = 0; n < 200; n++) {
      const identity: Identity = { platform: 'local', workspace: '', userId: `user-${n}`, displayName: `User ${n}` };
      await bot.runtime.dispatcher.handle({ identity, conversation: { platform: 'local', workspace: '', channelId: `c-${n}` }, text: `please do thing number ${n} xyz${n}` });
    }
    const after = await scrape(http.url);
    // Every one counted (by whatever action the words were read as), and no new series for any of them.
    const commands = (page: Exposition) => page.samples.filter((s) => s.name === 'opsbot_commands_total').reduce((sum, s) => sum + s.value, 0);
    expect(commands(after)).toBe(commands(before) + 200);
    // A few new series at most (an action and outcome the words were read as), never one per person, text or channel.
    expect(seriesOf(after) - seriesOf(before)).toBeLessThanOrEqual(15);
    const values = after.samples.flatMap((s) => Object.values(s.labels));
    expect(values.filter((v) => /user-|xyz|c-\d/.test(v))).toEqual([]);
  }, 60_000);

  it('times the Slack receiver’s ack of a signed slash command, on the server the adapter is mounted on', async () => {
    const api = await SlackApiFake.start();
    const secret = 's'.repeat(32);
    const config = { ...bot.runtime.config, slack: { signingSecret: secret, botToken: api.token, apiUrl: api.url } };
    const adapter = createSlackAdapter(
      { config, log: silentLogger, handle: (command) => bot.runtime.dispatcher.handle(command), audit: (entry) => bot.runtime.store.audit.append(entry) },
      { retryConfig: { retries: 0 } },
    );
    const server = await startHttpServer(config, [adapter], silentLogger, { metrics: bot.runtime.metrics });
    try {
      await adapter.start();
      api.addUser({ id: 'U0ALICE', name: 'alice', realName: 'Alice Liddell', displayName: 'alice' });
      const before = await scrape(server.url);
      const helpBefore = value(before, 'opsbot_commands_total', { action: 'help', outcome: 'completed' }) ?? 0;
      const answer = await sendToSlackRoute(`${server.url}/slack/events`, slashCommandRequest({ text: 'help', userId: 'U0ALICE', channelId: 'C0OPS' }, { secret }));
      expect(answer.status).toBe(200);
      const after = await eventually('the command handled', async () => {
        const now = await scrape(server.url);
        return value(now, 'opsbot_commands_total', { action: 'help', outcome: 'completed' }) === helpBefore + 1 && now;
      });
      expect(value(after, 'opsbot_chat_ack_duration_seconds_count', { platform: 'slack', status: '2xx' })).toBe(1);
      expect(value(after, 'opsbot_chat_ack_duration_seconds_bucket', { platform: 'slack', status: '2xx', le: '3' })).toBe(1);
    } finally {
      await adapter.stop();
      await server.close();
      await api.close();
    }
  }, 30_000);

  it('answers only loopback without a token: a relayed request or a foreign Host is refused', async () => {
    expect((await get(`${http.url}/metrics`, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(403);
    expect((await get(`${http.url}/metrics`, { host: 'evil.example' })).status).toBe(403);
    const remote = await startHttpServer(bot.runtime.config, [], silentLogger, { metrics: bot.runtime.metrics, metricsPeerAddress: () => '203.0.113.9' });
    try {
      const refused = await get(`${remote.url}/metrics`);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatch(/OPSBOT_METRICS_TOKEN/);
      expect(refused.body).not.toMatch(/opsbot_commands_total/);
    } finally {
      await remote.close();
    }
  });

  it('with OPSBOT_METRICS_TOKEN, asks every scrape for the bearer token, from anywhere', async () => {
    const token = 'm'.repeat(40);
    const config = { ...bot.runtime.config, metrics: { token } };
    const remote = await startHttpServer(config, [], silentLogger, { metrics: bot.runtime.metrics, metricsPeerAddress: () => '203.0.113.9' });
    try {
      expect((await get(`${remote.url}/metrics`)).status).toBe(401);
      expect((await get(`${remote.url}/metrics`, { authorization: `Bearer ${'x'.repeat(40)}` })).status).toBe(401);
      const allowed = await get(`${remote.url}/metrics`, { authorization: `Bearer ${token}`, host: 'metrics.example' });
      expect(allowed.status).toBe(200);
      expect(parseExposition(allowed.body).type.get('opsbot_commands_total')).toBe('counter');
    } finally {
      await remote.close();
    }
  });
});

describe('a worker’s metrics listener', () => {
  it('serves /metrics on loopback only, and nothing else', async () => {
    const metrics = new OpsbotMetrics();
    const server = await startWorkerMetricsServer({ metrics, port: 0, host: '127.0.0.1', log: silentLogger });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const answer = await get(server.url);
      expect(answer.status).toBe(200);
      expect(answer.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(parseExposition(answer.body).type.get('opsbot_job_duration_seconds')).toBe('histogram');
      expect((await get(server.url.replace('/metrics', '/healthz'))).status).toBe(404);
      expect((await get(server.url, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(403);
    } finally {
      await server.close();
    }
  });
});

describe('metrics settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-metrics-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env, dir);
      return 'accepted';
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };

  it('reads the worker listener and the token from the environment, and refuses wrong values naming the variable', () => {
    expect(loadConfig({}, dir).config.metrics).toBeUndefined();
    expect(loadConfig({ OPSBOT_WORKER_METRICS_PORT: '9464', OPSBOT_METRICS_TOKEN: 't'.repeat(32) }, dir).config.metrics).toEqual({ workerPort: 9464, token: 't'.repeat(32) });
    expect(problems({ OPSBOT_WORKER_METRICS_PORT: 'nine' })).toMatch(/OPSBOT_WORKER_METRICS_PORT="nine" is not valid/);
    expect(problems({ OPSBOT_WORKER_METRICS_PORT: '70000' })).toMatch(/workerPort/);
    expect(problems({ OPSBOT_METRICS_TOKEN: 'short' })).toMatch(/OPSBOT_METRICS_TOKEN must be at least 32 characters/);
  });
});
