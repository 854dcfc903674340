import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import express from 'express';
import type { AlertmanagerWebhook } from '../alerts/index.js';
import { alertRuleListSchema, type AlertRule } from '../core/config/alert-rules.schema.js';
import { silentLogger } from '../core/index.js';
import { EmbeddedRuleEvaluator } from '../monitoring/evaluator/index.js';
import { openSqliteStateStore } from '../store/index.js';
import { startSlackHarness } from '../test/helpers/slack-harness.js';

/**
 * Two costs of alert triage, each next to a baseline measured in the same run:
 *
 * 1. Alertmanager notifications per second, end to end: signed-in webhook POSTs to the bot's `/alerts/alertmanager`
 *    (Bolt's express server, as the runtime mounts it), through the triage threads (SQLite store, compare-and-set) and
 *    Slack's adapter to the Web API fake over HTTP, until every parent and thread reply is there. Half the groups are new
 *    (a parent and a details reply), half are notifications of existing ones (a parent update and a reply). Baseline:
 *    the same POSTs answered by a bare express JSON route on the same kind of server.
 * 2. The embedded evaluator's cost per rule per tick: a tick over SLOTS model/environment pairs whose routers each show
 *    REPLICAS replicas' real-size pages (served from memory, so only opsbot's work is timed), with 1, 10 and 50 rules.
 *    Baseline: a tick with no rules (scraping and parsing alone). Cost per rule per tick = (tick − baseline) / rules.
 */

const TOKEN = 'bench-alertmanager-token-0123456789abcdef';
/** The Slack API fake's team. */
const TEAM = 'T0001';
const NOTIFICATIONS = 400;
const CONCURRENCY = 8;
const SLOTS = 10;
const REPLICAS = 4;
const TICKS = 40;

function notification(group: number, repeat: boolean): AlertmanagerWebhook {
  const labels = { alertname: 'HighLatency', severity: 'critical', model: `m${group}`, env: 'prod' };
  return {
    version: '4',
    groupKey: `{}:{alertname="HighLatency",model="m${group}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'opsbot',
    groupLabels: { alertname: 'HighLatency', model: `m${group}` },
    commonLabels: labels,
    commonAnnotations: { summary: 'p95 over 500 ms', value: repeat ? '830 ms' : '812 ms', threshold: '500 ms' },
    externalURL: 'http://alertmanager:9093',
    alerts: [{ status: 'firing', labels: { ...labels, pod: repeat ? 'b' : 'a' }, annotations: {}, startsAt: '2026-12-01T10:00:00Z', fingerprint: `${group}${repeat ? 'b' : 'a'}`.padStart(16, '0') }],
  };
}

async function postAll(url: string, bodies: readonly AlertmanagerWebhook[]): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
        await answer.arrayBuffer();
        if (answer.status !== 200) throw new Error(`the receiver answered ${answer.status}`);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

async function bareServer(): Promise<{ server: Server; url: string }> {
  const app = express();
  app.post('/alerts/alertmanager', express.json({ limit: '2mb' }), (req, res) => res.json({ routed: true, groups: Object.keys(req.body as object).length }));
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts/alertmanager` };
}

export interface ReceiverBench {
  opsbotPerSecond: number;
  barePerSecond: number;
  posts: number;
  updates: number;
}

export async function benchReceiver(): Promise<ReceiverBench> {
  const harness = await startSlackHarness({
    configure: (config) => {
      config.alerts = { rules: [], evaluator: 'prometheus', evaluationIntervalSeconds: 15, receiverToken: TOKEN, routes: [{ match: {}, conversation: { platform: 'slack', workspace: TEAM, channelId: 'C0ALERTS' } }] };
    },
  });
  const bare = await bareServer();
  try {
    const groups = NOTIFICATIONS / 2;
    // First notifications of every group, then one more of each: as many new threads as updates.
    const bodies = [...Array.from({ length: groups }, (_, i) => notification(i, false)), ...Array.from({ length: groups }, (_, i) => notification(i, true))];
    const url = `${harness.url}/alerts/alertmanager`;
    await postAll(url, [notification(-1, false)]);
    await postAll(bare.url, [notification(-1, false)]);
    const baseSeconds = await postAll(bare.url, bodies);
    const seconds = await postAll(url, bodies);
    const posts = harness.api.callsTo('chat.postMessage').length;
    const updates = harness.api.callsTo('chat.update').length;
    // Each new group: a parent and a details reply; each repeat: the parent updated and a reply.
    if (posts < 1 + 2 * groups + groups || updates < groups) throw new Error(`the chat fake got ${posts} posts and ${updates} updates`);
    return { opsbotPerSecond: bodies.length / seconds, barePerSecond: bodies.length / baseSeconds, posts, updates };
  } finally {
    await new Promise((resolve) => bare.server.close(resolve));
    await harness.close();
  }
}

/** A model server page as a router shows it: REPLICAS replicas' request counters and latency histograms. */
function routerPage(step: number, slot: number): string {
  const lines: string[] = ['# TYPE opsbot_model_server_requests_total counter'];
  const les = ['0.0001', '0.00025', '0.0005', '0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '1', '+Inf'];
  for (let r = 1; r <= REPLICAS; r++) {
    const base = `colour="blue",replica="blue-${r}",model="m${slot}",version="3"`;
    for (const route of ['/v1/models/:name:predict', '/v2/models/:name/infer', '/healthz', '/metrics']) {
      lines.push(`opsbot_model_server_requests_total{${base},route="${route}",code="200"} ${step * 150 + r}`);
      lines.push(`opsbot_model_server_requests_total{${base},route="${route}",code="400"} ${step * 3}`);
    }
  }
  lines.push('# TYPE opsbot_model_server_request_duration_seconds histogram');
  for (let r = 1; r <= REPLICAS; r++) {
    for (const route of ['/v1/models/:name:predict', '/v2/models/:name/infer']) {
      les.forEach((le, i) => lines.push(`opsbot_model_server_request_duration_seconds_bucket{colour="blue",replica="blue-${r}",model="m${slot}",version="3",route="${route}",le="${le}"} ${Math.round(step * 150 * Math.min(1, (i + 1) / 8))}`));
      lines.push(`opsbot_model_server_request_duration_seconds_sum{colour="blue",replica="blue-${r}",model="m${slot}",version="3",route="${route}"} ${step * 0.4}`);
      lines.push(`opsbot_model_server_request_duration_seconds_count{colour="blue",replica="blue-${r}",model="m${slot}",version="3",route="${route}"} ${step * 150}`);
    }
  }
  // prom-client's default process metrics make up most of a real page; the parser skips them.
  for (let i = 0; i < 60; i++) lines.push(`opsbot_model_server_nodejs_heap_space_size_total_bytes{colour="blue",replica="blue-1",space="s${i}",model="m${slot}",version="3"} ${i * 1024}`);
  return lines.join('\n');
}

function benchRules(count: number): AlertRule[] {
  const metrics = ['response_time', 'error_rate', 'client_error_rate', 'qps', 'p99_latency'];
  return alertRuleListSchema.parse(
    Array.from({ length: count }, (_, i) =>
      i % 5 === 4
        ? { name: `Rule ${i}`, type: 'anomaly', metric: 'qps', window: '10m', period: '1m', severity: 'warning' }
        : { name: `Rule ${i}`, metric: metrics[i % 4], threshold: 1e9, period: '1m', severity: 'warning' },
    ),
  );
}

export interface EvaluatorBench {
  baselineTickMs: number;
  rows: Array<{ rules: number; tickMs: number; perRuleUs: number; perRuleSlotUs: number }>;
}

async function medianTickMs(rules: AlertRule[]): Promise<number> {
  const store = openSqliteStateStore(':memory:');
  let now = Date.parse('2026-12-01T10:00:00Z');
  let step = 0;
  const evaluator = new EmbeddedRuleEvaluator({
    rules,
    targets: async () => Array.from({ length: SLOTS }, (_, slot) => ({ model: `m${slot}`, env: 'prod', role: 'live', url: `mem://${slot}` })),
    scrape: async (url) => routerPage(step, Number(url.slice(6))),
    store: store.ruleAlerts,
    served: async () => true,
    deliver: async () => undefined,
    log: silentLogger,
    now: () => now,
  });
  const times: number[] = [];
  try {
    for (let i = 0; i < TICKS; i++) {
      now += 15_000;
      step++;
      const started = performance.now();
      await evaluator.tick();
      if (i >= 5) times.push(performance.now() - started);
    }
  } finally {
    await store.close();
  }
  return times.sort((a, b) => a - b)[times.length >> 1]!;
}

export async function benchEvaluator(): Promise<EvaluatorBench> {
  await medianTickMs(benchRules(5));
  const baselineTickMs = await medianTickMs([]);
  const rows = [];
  for (const count of [1, 10, 50]) {
    const tickMs = await medianTickMs(benchRules(count));
    const perRuleUs = (Math.max(0, tickMs - baselineTickMs) * 1000) / count;
    rows.push({ rules: count, tickMs, perRuleUs, perRuleSlotUs: perRuleUs / SLOTS });
  }
  return { baselineTickMs, rows };
}

export function alertsMarkdown(receiver: ReceiverBench, evaluator: EvaluatorBench): string {
  const worst = Math.max(...evaluator.rows.map((r) => r.tickMs));
  return [
    '## Alert triage: Alertmanager notifications end to end, and the embedded evaluator',
    '',
    `**Notifications per second**: ${NOTIFICATIONS} Alertmanager v4 webhooks, ${CONCURRENCY} at a time, to the bot's \`/alerts/alertmanager\` with the bearer token: half open a group (a parent and a details reply), half notify an existing one (the parent updated in place and a reply), each through the SQLite store and Slack's adapter to the Web API fake over HTTP before the 200 (${receiver.posts} posts and ${receiver.updates} updates reached the fake). Baseline: the same requests to a bare express JSON route, same run.`,
    '',
    '| measure | opsbot (webhook → thread in the chat fake) | baseline: bare express route | opsbot / baseline |',
    '|---|---|---|---|',
    `| notifications/s | ${receiver.opsbotPerSecond.toFixed(0)} | ${receiver.barePerSecond.toFixed(0)} | ${(receiver.opsbotPerSecond / receiver.barePerSecond).toFixed(2)} |`,
    '',
    `Alertmanager sends one notification per group per \`group_interval\` (5 m by default), so ${receiver.opsbotPerSecond.toFixed(0)}/s is that many groups changing every second.`,
    '',
    `**Embedded evaluator, cost per rule per tick**: one tick scrapes ${SLOTS} model/environment pairs (each router page: ${REPLICAS} replicas' request counters and latency histograms plus the process metrics a real page has, served from memory), then evaluates every rule for every pair (the rates of a target are computed once per tick and shared by its rules); every fifth rule is an anomaly rule. Median of ${TICKS - 5} ticks after 5 of warm-up. Baseline: a tick with no rules (the scraping and parsing alone), same run.`,
    '',
    '| rules | tick (median) | baseline tick, no rules | cost per rule per tick | per rule per model/env |',
    '|---|---|---|---|---|',
    ...evaluator.rows.map((r) =>
      r.tickMs <= evaluator.baselineTickMs
        ? `| ${r.rules} | ${r.tickMs.toFixed(2)} ms | ${evaluator.baselineTickMs.toFixed(2)} ms | within the noise | within the noise |`
        : `| ${r.rules} | ${r.tickMs.toFixed(2)} ms | ${evaluator.baselineTickMs.toFixed(2)} ms | ${r.perRuleUs.toFixed(0)} µs | ${r.perRuleSlotUs.toFixed(1)} µs |`,
    ),
    '',
    `At the default 15 s interval the largest tick (${worst.toFixed(1)} ms) is ${((worst / 15_000) * 100).toFixed(2)}% of one core. Load average (1 min) ${(loadavg()[0] ?? 0).toFixed(1)} on ${cpus().length} cores.`,
  ].join('\n');
}

// `npx tsx bench/alerts.bench.ts` prints the section.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${alertsMarkdown(await benchReceiver(), await benchEvaluator())}\n`);
  process.exit(0);
}
