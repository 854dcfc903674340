import type { AlertmanagerWebhook } from '../../../../alerts/index.js';
import { alertRuleListSchema, type AlertRule } from '../../../../core/config/alert-rules.schema.js';
import { silentLogger } from '../../../../core/index.js';
import { EmbeddedRuleEvaluator, REPEAT_MS } from '../../../../monitoring/evaluator/index.js';
import { openSqliteStateStore, type SqliteStateStore } from '../../../../store/index.js';

const STEP_MS = 15_000;
const PREDICT = '/v2/models/:name/infer';
const LE = [0.01, 0.1, 1, Infinity];

/** A model server's counters as its /metrics shows them, moved by the traffic the test sends. */
class ServerCounters {
  ok = 0;
  failed = 0;
  buckets = LE.map(() => 0);
  colour = 'blue';
  /** A promotion: the other colour's fresh server answers from now on, with counters from 0; the old series are gone. */
  promote(): void {
    this.colour = this.colour === 'blue' ? 'green' : 'blue';
    this.ok = 0;
    this.failed = 0;
    this.buckets = LE.map(() => 0);
  }
  serve(requests: number, errorShare: number, latencySeconds = 0.005): void {
    const failed = Math.round(requests * errorShare);
    this.failed += failed;
    this.ok += requests - failed;
    LE.forEach((le, i) => (this.buckets[i]! += latencySeconds <= le ? requests : 0));
  }
  page(): string {
    const le = (bound: number) => (bound === Infinity ? '+Inf' : String(bound));
    return [
      '# TYPE opsbot_model_server_requests_total counter',
      `opsbot_model_server_requests_total{colour="${this.colour}",replica="${this.colour}-1",route="${PREDICT}",code="200",model="sentiment",version="3"} ${this.ok}`,
      `opsbot_model_server_requests_total{colour="${this.colour}",replica="${this.colour}-1",route="${PREDICT}",code="500",model="sentiment",version="3"} ${this.failed}`,
      `opsbot_model_server_requests_total{colour="${this.colour}",replica="${this.colour}-1",route="/healthz",code="200",model="sentiment",version="3"} 999`,
      '# TYPE opsbot_model_server_request_duration_seconds histogram',
      ...LE.map((bound, i) => `opsbot_model_server_request_duration_seconds_bucket{colour="${this.colour}",replica="${this.colour}-1",route="${PREDICT}",le="${le(bound)}"} ${this.buckets[i]}`),
    ].join('\n');
  }
}

function rules(...items: unknown[]): AlertRule[] {
  return alertRuleListSchema.parse(items);
}

interface Harness {
  server: ServerCounters;
  delivered: AlertmanagerWebhook[];
  evaluator: EmbeddedRuleEvaluator;
  /** Moves the clock one step, sends that step's traffic, evaluates. */
  step(requests: number, errorShare: number, latencySeconds?: number): Promise<void>;
  steps(count: number, requests: number, errorShare: number, latencySeconds?: number): Promise<void>;
  restart(rules?: AlertRule[]): void;
  /** Another bot on the same database, seeing the same servers and clock, delivering into the same list. */
  second(): EmbeddedRuleEvaluator;
  clock: { now: number };
  served: { value: boolean };
  targets: { value: boolean };
  failDeliveries: { value: number };
}

function harness(store: SqliteStateStore, initialRules: AlertRule[]): Harness {
  let ruleList = initialRules;
  const server = new ServerCounters();
  const delivered: AlertmanagerWebhook[] = [];
  const clock = { now: Date.parse('2026-12-01T10:00:00Z') };
  const served = { value: true };
  const targets = { value: true };
  const failDeliveries = { value: 0 };
  const make = () =>
    new EmbeddedRuleEvaluator({
      rules: ruleList,
      targets: async () => (targets.value ? [{ model: 'sentiment', env: 'prod', role: 'live', url: 'http://127.0.0.1:1/metrics' }] : []),
      scrape: async () => server.page(),
      store: store.ruleAlerts,
      served: async () => served.value,
      deliver: async (notification) => {
        if (failDeliveries.value > 0) {
          failDeliveries.value--;
          throw new Error('chat is down');
        }
        delivered.push(notification);
      },
      log: silentLogger,
      now: () => clock.now,
    });
  const h: Harness = {
    server,
    delivered,
    evaluator: make(),
    clock,
    served,
    targets,
    failDeliveries,
    async step(requests, errorShare, latencySeconds) {
      clock.now += STEP_MS;
      server.serve(requests, errorShare, latencySeconds);
      await h.evaluator.tick();
    },
    async steps(count, requests, errorShare, latencySeconds) {
      for (let i = 0; i < count; i++) await h.step(requests, errorShare, latencySeconds);
    },
    restart(rules) {
      if (rules) ruleList = rules;
      h.evaluator = make();
    },
    second: () => make(),
  };
  return h;
}

const ERROR_RATE = { name: 'Error rate', metric: 'error_rate', threshold: 0.05, period: '1m', severity: 'critical' };

describe('EmbeddedRuleEvaluator', () => {
  let store: SqliteStateStore;
  beforeEach(() => {
    store = openSqliteStateStore(':memory:');
  });
  afterEach(() => store.close());

  it('fires only once the condition held at every evaluation for the whole period, in the webhook shape triage takes', async () => {
    const h = harness(store, rules({ ...ERROR_RATE, period: '2m' }));
    await h.steps(6, 100, 0);
    // One bad step: the 1m error rate is over 5% for a minute (the window holds it), less than the period.
    await h.step(100, 0.5);
    await h.steps(10, 100, 0);
    expect(h.delivered).toEqual([]);
    // Half the requests fail from here: over 5% from the first evaluation on.
    await h.step(100, 0.5);
    const breach = h.clock.now;
    await h.steps(7, 100, 0.5);
    expect(h.clock.now - breach).toBe(105_000);
    expect(h.delivered).toEqual([]);
    await h.step(100, 0.5);
    expect(h.clock.now - breach).toBe(120_000);
    expect(h.delivered).toHaveLength(1);
    const [fired] = h.delivered;
    expect(fired).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'opsbot-embedded',
      groupLabels: { alertname: 'ErrorRate', model: 'sentiment', env: 'prod' },
      commonLabels: { alertname: 'ErrorRate', severity: 'critical', rule: 'Error rate', metric: 'error_rate', model: 'sentiment', env: 'prod', source: 'opsbot', evaluator: 'embedded' },
      commonAnnotations: { threshold: '> 0.05 ratio', runbook_url: 'https://runbooks.example.com/opsbot/error-rate' },
    });
    expect(fired!.groupKey).toBe('opsbot-embedded/{}:{alertname="ErrorRate",env="prod",model="sentiment"}');
    expect(fired!.alerts[0]).toMatchObject({ status: 'firing', startsAt: new Date(breach).toISOString() });
    expect(fired!.commonAnnotations.value).toMatch(/^0\.\d+ ratio$/);
    expect(Number(fired!.commonAnnotations.value!.split(' ')[0])).toBeGreaterThan(0.05);
    expect(await h.evaluator.firing()).toEqual([expect.objectContaining({ key: 'ErrorRate|sentiment|prod', status: 'firing', notifiedAt: expect.any(String) })]);
  });

  it('resolves with hysteresis: a value just under the threshold keeps it firing; clear for the whole period resolves it once', async () => {
    const h = harness(store, rules(ERROR_RATE));
    await h.steps(4, 100, 0);
    await h.steps(5, 100, 0.5);
    expect(h.delivered.map((n) => n.status)).toEqual(['firing']);
    // 4.8% of requests failing: under the 5% threshold but inside the 10% band, for far longer than the period.
    await h.steps(16, 1000, 0.048);
    expect(h.delivered.map((n) => n.status)).toEqual(['firing']);
    // Healthy: the first evaluation is already past the band (3.6% over the window); it resolves a period later.
    await h.steps(4, 1000, 0);
    expect(h.delivered.map((n) => n.status)).toEqual(['firing']);
    await h.step(1000, 0);
    expect(h.delivered.map((n) => n.status)).toEqual(['firing', 'resolved']);
    expect(h.delivered[1]!.alerts[0]).toMatchObject({ status: 'resolved', endsAt: new Date(h.clock.now).toISOString() });
    expect(h.delivered[1]!.groupKey).toBe(h.delivered[0]!.groupKey);
    expect(await store.ruleAlerts.list()).toEqual([]);
    await h.steps(10, 1000, 0);
    expect(h.delivered).toHaveLength(2);
  });

  it('reads latency from the histogram as histogram_quantile does, in milliseconds', async () => {
    const h = harness(store, rules({ name: 'High latency', metric: 'response_time', threshold: 500, period: '30s', severity: 'warning' }));
    await h.steps(5, 100, 0, 0.005);
    await h.steps(2, 100, 0, 0.8);
    expect(h.delivered).toEqual([]);
    // The third slow evaluation is 30 s after the first.
    await h.step(100, 0, 0.8);
    expect(h.delivered).toHaveLength(1);
    // p95 inside the (0.1, 1] bucket: above 500 ms.
    expect(h.delivered[0]!.commonAnnotations).toMatchObject({ threshold: '> 500 ms' });
    expect(Number(h.delivered[0]!.commonAnnotations.value!.split(' ')[0])).toBeGreaterThan(500);
  });

  it('an anomaly rule fires on a spike and not on a slow trend', async () => {
    const anomaly = { name: 'Traffic anomaly', type: 'anomaly', metric: 'qps', period: '30s', window: '10m', severity: 'warning' };
    const trend = harness(store, rules(anomaly));
    // QPS from 10 to 70 over 40 minutes, with a little noise: the window's median follows it.
    for (let i = 0; i < 160; i++) await trend.step(Math.round((10 + i * 0.375 + ((i * 7) % 5) * 0.1) * 15), 0);
    expect(trend.delivered).toEqual([]);

    const spikeStore = openSqliteStateStore(':memory:');
    try {
      const spike = harness(spikeStore, rules(anomaly));
      for (let i = 0; i < 60; i++) await spike.step(Math.round((10 + ((i * 7) % 5) * 0.2) * 15), 0);
      expect(spike.delivered).toEqual([]);
      await spike.steps(5, 100 * 15, 0);
      expect(spike.delivered).toHaveLength(1);
      expect(spike.delivered[0]!.commonAnnotations).toMatchObject({ threshold: 'z > 3.5' });
      expect(spike.delivered[0]!.commonAnnotations.value).toMatch(/^z \d/);
    } finally {
      await spikeStore.close();
    }
  });

  it('a restart neither fires a firing alert again nor loses it; one told to nobody is told after the restart', async () => {
    const h = harness(store, rules(ERROR_RATE));
    await h.steps(4, 100, 0);
    // The chat is down when it fires: stored, not told.
    h.failDeliveries.value = 1;
    await h.steps(5, 100, 0.5);
    expect(h.delivered).toEqual([]);
    expect(await store.ruleAlerts.list()).toEqual([expect.objectContaining({ status: 'firing' })]);
    expect((await store.ruleAlerts.list())[0]!.notifiedAt).toBeUndefined();

    h.restart();
    await h.step(100, 0.5);
    expect(h.delivered.map((n) => n.status)).toEqual(['firing']);
    h.restart();
    await h.steps(8, 100, 0.5);
    expect(h.delivered.map((n) => n.status)).toEqual(['firing']);
    // Still firing 4 hours on (Alertmanager's repeat_interval): said again, once.
    h.clock.now += REPEAT_MS;
    await h.step(100, 0.5);
    await h.step(100, 0.5);
    expect(h.delivered.map((n) => n.status)).toEqual(['firing', 'firing']);
    h.restart();
    await h.steps(10, 100, 0);
    expect(h.delivered.map((n) => n.status)).toEqual(['firing', 'firing', 'resolved']);
  });

  it('two bots on one database fire, repeat and resolve an alert once between them', async () => {
    const h = harness(store, rules(ERROR_RATE));
    const other = h.second();
    const both = async (count: number, requests: number, errorShare: number) => {
      for (let i = 0; i < count; i++) {
        await h.step(requests, errorShare);
        await other.tick();
      }
    };
    await both(4, 100, 0);
    await both(8, 100, 0.5);
    expect(h.delivered.map((n) => n.status)).toEqual(['firing']);
    h.clock.now += REPEAT_MS;
    await both(10, 100, 0.5);
    expect(h.delivered.map((n) => n.status)).toEqual(['firing', 'firing']);
    await both(10, 100, 0);
    expect(h.delivered.map((n) => n.status)).toEqual(['firing', 'firing', 'resolved']);
    expect(await store.ruleAlerts.list()).toEqual([]);
  });

  it('fires again after a resolution the chat never got (it was down): the thread ends firing, as the incident is', async () => {
    const h = harness(store, rules(ERROR_RATE));
    await h.steps(4, 100, 0);
    await h.steps(5, 100, 0.5);
    expect(h.delivered.map((n) => n.status)).toEqual(['firing']);
    h.failDeliveries.value = 1_000;
    await h.steps(8, 100, 0);
    expect((await store.ruleAlerts.list())[0]).toMatchObject({ status: 'resolved' });
    await h.steps(8, 100, 0.5);
    h.failDeliveries.value = 0;
    await h.step(100, 0.5);
    expect(h.delivered.map((n) => n.status)).toEqual(['firing', 'firing']);
    expect(await h.evaluator.firing()).toEqual([expect.objectContaining({ key: 'ErrorRate|sentiment|prod', notifiedAt: expect.any(String) })]);
  });

  it('resolves an error-rate and a latency alert once traffic stops (a share of nothing holds no condition, as in PromQL)', async () => {
    const h = harness(store, rules(ERROR_RATE, { name: 'High latency', metric: 'response_time', threshold: 500, period: '1m', severity: 'warning' }));
    await h.steps(4, 100, 0, 0.005);
    await h.steps(6, 100, 0.5, 0.8);
    expect(h.delivered.map((n) => `${n.commonLabels.alertname} ${n.status}`).sort()).toEqual(['ErrorRate firing', 'HighLatency firing']);
    await h.steps(12, 0, 0);
    expect(h.delivered.map((n) => `${n.commonLabels.alertname} ${n.status}`).sort()).toEqual(['ErrorRate firing', 'ErrorRate resolved', 'HighLatency firing', 'HighLatency resolved']);
  });

  it('resolves, in the same thread, an alert whose rule was removed or no longer selects its model and environment', async () => {
    const h = harness(store, rules(ERROR_RATE, { name: 'High latency', metric: 'response_time', threshold: 500, period: '30s', severity: 'warning' }));
    await h.steps(4, 100, 0, 0.005);
    await h.steps(6, 100, 0.5, 0.8);
    const [errors, latency] = ['ErrorRate', 'HighLatency'].map((name) => h.delivered.find((n) => n.commonLabels.alertname === name)!);
    // A restart with the latency rule gone and the error rule narrowed to staging.
    h.restart(rules({ ...ERROR_RATE, env: 'staging' }));
    await h.step(100, 0.5, 0.8);
    const resolved = h.delivered.filter((n) => n.status === 'resolved');
    expect(resolved.map((n) => n.groupKey).sort()).toEqual([errors!.groupKey, latency!.groupKey].sort());
    for (const n of resolved) {
      const fired = n.groupKey === errors!.groupKey ? errors! : latency!;
      expect(n.alerts[0]!.fingerprint).toBe(fired.alerts[0]!.fingerprint);
      expect(n.commonAnnotations.description).toMatch(/is no longer configured for sentiment in prod/);
    }
    expect(await store.ruleAlerts.list()).toEqual([]);
  });

  it('sees no gap when a promotion replaces the series (the old colour\'s samples still count in the window)', async () => {
    const h = harness(store, rules({ name: 'Busy', metric: 'qps', threshold: 5, period: '1m', severity: 'info' }));
    // 2 req/s, then 20 req/s: over 5 req/s from the first busy evaluation on.
    await h.steps(4, 30, 0);
    await h.step(300, 0);
    const breach = h.clock.now;
    await h.steps(2, 300, 0);
    h.server.promote();
    await h.steps(1, 300, 0);
    expect(h.delivered).toEqual([]);
    await h.step(300, 0);
    expect(h.clock.now - breach).toBe(60_000);
    expect(h.delivered).toHaveLength(1);
  });

  it('keeps an alert firing through a gap in the data, and resolves it once the model no longer serves', async () => {
    const h = harness(store, rules(ERROR_RATE));
    await h.steps(4, 100, 0);
    await h.steps(5, 100, 0.5);
    expect(h.delivered).toHaveLength(1);
    h.targets.value = false;
    await h.steps(20, 0, 0);
    expect(h.delivered).toHaveLength(1);
    h.served.value = false;
    await h.step(0, 0);
    expect(h.delivered.map((n) => n.status)).toEqual(['firing', 'resolved']);
    expect(h.delivered[1]!.commonAnnotations.description).toMatch(/no longer serves in prod/);
  });
});
