import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBotServer, type BotServer } from '../../../app/bot-server.js';
import { loadConfig, silentLogger, type OpsbotConfig } from '../../../core/index.js';
import { prometheusConfig, readLocalFileSd, runAlertRulesCli, toYaml } from '../../../monitoring/index.js';
import { eventually } from '../../helpers/eventually.js';
import { playgroundUser } from '../../helpers/playground-stack.js';
import { ALERTMANAGER, freePort, PROMETHEUS, PROMTOOL, prometheusQuery, promtool, startAlertmanager, startPrometheus, type RunningServer } from '../../helpers/prometheus-stack.js';
import { requireService } from '../../helpers/required-service.js';
import { trainServableModel, type ServableModel } from '../../helpers/servable-model.js';
import { SlackApiFake, type FakeMessage } from '../../helpers/slack-api-fake.js';
import { blockActionsRequest, sendToSlackRoute, slashCommandRequest } from '../../helpers/slack-request.js';

const haveStack = requireService(
  PROMETHEUS !== undefined && PROMTOOL !== undefined && ALERTMANAGER !== undefined,
  'the Prometheus → Alertmanager → opsbot test needs prometheus, promtool and prometheus-alertmanager (apt-get install -y prometheus prometheus-alertmanager)',
);

const TOKEN = 'e2e-alertmanager-token-0123456789abcdef';
const SIGNING_SECRET = 'e2e0signing0secret0abcdef01234567';
const OPS = 'C0OPS';
const ALERTS = 'C0ALERTS';
const RITA = 'U0RITA';
/** The rule as users write it (the seed's format): more than a fifth of sentiment's staging predictions refused. */
const RULE = { name: 'Client errors', metric: 'client_error_rate', threshold: 0.2, period: '5s', severity: 'warning', model: 'sentiment', env: 'staging' };
const ALERT = 'ClientErrors';

/** A message's text without the tone emoji the Slack renderer puts first (`:warning: Firing: …`). */
const plain = (text: string) => text.replace(/^:[a-z_]+: /, '');

const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });

/**
 * The monitoring loop end to end, with nothing faked but Slack's Web API: the bot (its real wiring, Slack over signed
 * HTTP) deploys a model to the local target; Prometheus scrapes the bot and that model server with the rule opsbot
 * exported; bad requests make the rule fire; Alertmanager delivers to opsbot's receiver; the triage thread's Silence
 * button makes a real silence; good traffic resolves it, in the same parent message.
 */
(haveStack ? describe : describe.skip)('Prometheus and Alertmanager around a live model server and the bot', () => {
  let dir: string;
  let model: ServableModel | undefined;
  let api: SlackApiFake | undefined;
  let bot: BotServer | undefined;
  let alertmanager: RunningServer | undefined;
  let prometheus: RunningServer | undefined;
  let config: OpsbotConfig;
  let rulesFile: string;
  let endpoint: string;
  let traffic: { stop(): Promise<{ statuses: Record<number, number> }> } | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-prom-e2e-'));
    model = await trainServableModel();
    api = await SlackApiFake.start();
    api.addUser({ id: RITA, name: 'rita', realName: 'rita', displayName: 'rita' });
    const amPort = await freePort();
    writeFileSync(join(dir, 'rules.json'), JSON.stringify({ alert_rules: [RULE] }));
    ({ config } = loadConfig(
      {
        OPSBOT_DATA_DIR: model.dataDir,
        OPSBOT_ALERT_RULES: 'rules.json',
        OPSBOT_ALERTMANAGER_TOKEN: TOKEN,
        // Prometheus evaluates the rules here; opsbot's own evaluation would post the same alert a second time.
        OPSBOT_ALERT_EVALUATOR: 'prometheus',
        OPSBOT_ALERTMANAGER_URL: `http://127.0.0.1:${amPort}`,
        OPSBOT_JOB_BACKOFF_MS: '50',
        PORT: '0',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_BOT_TOKEN: api.token,
        SLACK_API_URL: api.url,
      },
      dir,
    ));
    config.playground = { ...config.playground, enabled: false };
    config.rbac = { ...config.rbac, users: { [`slack:T0001:${RITA}`]: ['deployer'] } };
    config.environments = config.environments.map((e) => (e.name === 'staging' ? { ...e, minReplicas: 1, replicas: 1 } : e));
    config.deploy = { ...config.deploy, local: { ...config.deploy.local, basePort: await freePort() } };
    config.alerts = { ...config.alerts!, routes: [{ match: { env: 'staging' }, conversation: { platform: 'slack', workspace: 'T0001', channelId: ALERTS } }] };

    // What an operator runs: the rule file, from opsbot's configured rules.
    rulesFile = join(dir, 'opsbot-rules.yml');
    await runAlertRulesCli(config, 'export', { out: rulesFile }, { stdout: sink(), stderr: sink() });

    bot = await startBotServer({ config, log: silentLogger, workDir: model.harness.dir, localUser: playgroundUser, fallbackToFreePort: false });
    const botUrl = new URL(bot.http!.url);
    alertmanager = await startAlertmanager({ dir, receiverUrl: `${bot.http!.url}/alerts/alertmanager`, token: TOKEN, groupWait: '1s', groupInterval: '1s', repeatInterval: '1h', port: amPort });

    // v1 live in staging, through Slack, on the local target: a real model server behind its router.
    const deploy = await sendToSlackRoute(`${bot.http!.url}/slack/events`, slashCommandRequest({ text: 'deploy sentiment v1 to staging', userId: RITA, userName: 'rita', channelId: OPS, responseUrl: api.responseUrl }, { secret: SIGNING_SECRET }));
    expect(deploy.status).toBe(200);
    await eventually('v1 live in staging', async () => (await bot!.runtime.store.blueGreen.list({ model: 'sentiment', env: 'staging', limit: 1 }))[0]?.phase === 'live', 90_000);
    const targets = await readLocalFileSd(model.dataDir);
    const live = targets.find((t) => t.labels.env === 'staging' && t.labels.role === 'live')!;
    endpoint = `http://${live.targets[0]}`;
    expect((await predict('good')).status).toBe(200);

    // opsbot's scrape config for the bot and the local target's routers, at test speed, sending to this Alertmanager.
    const fileSd = join(dir, 'file-sd.json');
    writeFileSync(fileSd, JSON.stringify(targets));
    const scrape = prometheusConfig({ bot: { host: botUrl.hostname, port: Number(botUrl.port) }, workers: [], modelServers: { kind: 'file_sd', file: fileSd }, ruleFiles: [rulesFile], scrapeInterval: '1s' });
    writeFileSync(join(dir, 'prometheus.yml'), toYaml({ ...scrape, alerting: { alertmanagers: [{ static_configs: [{ targets: [new URL(alertmanager.url).host] }] }] } }));
    prometheus = await startPrometheus({ dir, configFile: join(dir, 'prometheus.yml') });
  }, 180_000);

  afterAll(async () => {
    // Each step on its own, so one that fails still lets the others stop their processes.
    const steps: Array<() => Promise<unknown> | undefined> = [
      () => traffic?.stop(),
      () => prometheus?.stop(),
      () => alertmanager?.stop(),
      () => bot?.stop(),
      () => api?.close(),
      () => model?.harness.close(),
    ];
    for (const step of steps) await Promise.resolve(step()).catch((error: unknown) => console.warn('cleanup step failed', error));
    if (model) rmSync(model.dataDir, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  /** One prediction through the stable endpoint: a well-formed one, or one the server must refuse (4xx). */
  async function predict(kind: 'good' | 'bad'): Promise<{ status: number }> {
    const body = kind === 'good' ? { inputs: [{ name: 'text', shape: [1], datatype: 'BYTES', data: ['the app is fast'] }] } : { inputs: 'not a tensor list' };
    const response = await fetch(`${endpoint}/v2/models/sentiment/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await response.arrayBuffer();
    return { status: response.status };
  }

  /** Requests in the background until stopped: `pattern` repeated, with a pause between rounds. */
  function drive(pattern: Array<'good' | 'bad'>, pauseMs: number) {
    const statuses: Record<number, number> = {};
    let running = true;
    const loop = (async () => {
      while (running) {
        for (const kind of pattern) {
          const { status } = await predict(kind).catch(() => ({ status: 0 }));
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
        if (pauseMs > 0) await sleep(pauseMs);
      }
    })();
    return {
      async stop() {
        running = false;
        await loop;
        return { statuses };
      },
    };
  }

  const alertMessages = () => [...api!.messages.values()].filter((m) => m.channel === ALERTS);
  const parents = () => alertMessages().filter((m) => m.threadTs === undefined);
  const replies = (parent: FakeMessage) => alertMessages().filter((m) => m.threadTs === parent.ts).map((m) => plain(m.text));

  async function click(parent: FakeMessage, label: string): Promise<void> {
    const elements = (parent.blocks ?? []).flatMap((b) => ((b as { type: string }).type === 'actions' ? (b as { elements: Array<Record<string, unknown>> }).elements : []));
    const button = elements.find((e) => (e.text as { text: string }).text === label);
    if (!button) throw new Error(`no ${label} button on the parent: ${JSON.stringify(parent.blocks)}`);
    const response = await sendToSlackRoute(
      `${bot!.http!.url}/slack/events`,
      blockActionsRequest({ userId: RITA, userName: 'rita', channelId: ALERTS, message: { ts: parent.ts, blocks: parent.blocks }, action: { type: 'button', action_id: button.action_id, value: button.value, text: button.text } }, { secret: SIGNING_SECRET }),
    );
    expect(response.status).toBe(200);
  }

  /** A wait that fails with what Prometheus and Alertmanager logged, which is where the reason usually is. */
  async function withLogs<T>(wait: Promise<T>): Promise<T> {
    try {
      return await wait;
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- Prometheus:\n${prometheus?.log()}\n--- Alertmanager:\n${alertmanager?.log()}`);
    }
  }

  type Silence = { id: string; status: { state: string }; matchers: Array<{ name: string; value: string; isRegex: boolean; isEqual?: boolean }> };
  const silences = async () => (await (await fetch(`${alertmanager!.url}/api/v2/silences`)).json()) as Silence[];
  type AmAlert = { labels: Record<string, string>; status: { state: string; silencedBy: string[] } };
  const amAlerts = async () => (await (await fetch(`${alertmanager!.url}/api/v2/alerts`)).json()) as AmAlert[];

  it('fires on driven errors, posts one parent that is updated in place, silences in Alertmanager, and resolves in the same parent', async () => {
    // The exported rule is one promtool accepts.
    expect(await promtool(['check', 'rules', rulesFile], dir)).toEqual({ code: 0, output: expect.stringContaining('SUCCESS: 1 rules found') });

    // Prometheus scrapes the bot's /metrics and the model server behind the live router.
    await eventually('the bot scraped', async () => (await prometheusQuery(prometheus!.url, 'up{job="opsbot-bot"}'))[0]?.value === 1, 30_000);
    await eventually('the model server scraped', async () => (await prometheusQuery(prometheus!.url, 'up{job="opsbot-model-servers",env="staging",role="live"}'))[0]?.value === 1, 30_000);
    expect((await prometheusQuery(prometheus!.url, 'count({job="opsbot-bot",__name__=~"opsbot_.+"})'))[0]?.value).toBeGreaterThan(0);
    expect(parents()).toHaveLength(0);

    // Half of the predictions are malformed: client_error_rate 0.5, over the rule's 0.2.
    traffic = drive(['bad', 'good'], 100);
    const parent = await withLogs(eventually('the alert parent in Slack', () => parents()[0], 60_000));
    const { statuses: errorPhase } = await traffic.stop();
    traffic = undefined;
    expect(errorPhase[400] ?? 0).toBeGreaterThan(0);
    // Prometheus saw the refusals in the model server's own counter, labelled with the target's env.
    expect((await prometheusQuery(prometheus!.url, 'sum(opsbot_model_server_requests_total{job="opsbot-model-servers",model="sentiment",env="staging",code=~"4.."})'))[0]?.value).toBeGreaterThan(0);
    expect(plain(parent.history[0]!.text)).toBe(`Firing: ${ALERT} — sentiment in staging (1 firing, 0 resolved)`);
    const firingBlocks = JSON.stringify(parent.history[0]!.blocks);
    expect(firingBlocks).toContain('sentiment v1 (blue) in staging');
    // The rule's description with the measured share (about 0.5); `>` is an entity in Slack's mrkdwn.
    expect(firingBlocks).toMatch(/client_error_rate \(share of predictions refused 4xx .*, ratio\) is 0\.\d+, threshold &gt; 0\.2 for 5s/);
    await eventually('the details reply', () => replies(parent).find((t) => t.startsWith('Details: 1 alert')));
    const firing = (await prometheusQuery(prometheus!.url, `ALERTS{alertname="${ALERT}",alertstate="firing"}`))[0];
    expect(firing?.metric).toMatchObject({ model: 'sentiment', env: 'staging', severity: 'warning', source: 'opsbot' });

    // Silence 1h: a real silence, listed by Alertmanager, that matches the firing alert; its id on the parent and in the thread.
    await click(parent, 'Silence 1h');
    const silenced = await eventually('the silence note', () => replies(parent).find((t) => t.startsWith('Silenced for 1h by rita')), 30_000);
    const silenceId = /Alertmanager silence ([0-9a-f-]{36})/.exec(silenced)![1]!;
    const active = (await silences()).filter((s) => s.status.state === 'active');
    expect(active.map((s) => s.id)).toEqual([silenceId]);
    expect(active[0]!.matchers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'alertname', value: ALERT, isRegex: false }),
        expect.objectContaining({ name: 'model', value: 'sentiment', isRegex: false }),
        expect.objectContaining({ name: 'env', value: 'staging', isRegex: false }),
      ]),
    );
    const muted = await eventually('Alertmanager to mute the alert', async () => (await amAlerts()).find((a) => a.labels.alertname === ALERT && a.status.silencedBy.includes(silenceId)), 15_000);
    expect(muted.status.state).toBe('suppressed');
    await eventually('the parent to show the silence', () => JSON.stringify(parent.blocks).includes(`Alertmanager silence ${silenceId}`));

    // A silenced alert's resolution is muted too: expire the silence first, so Alertmanager delivers it.
    await click(parent, 'Expire silence');
    await eventually('the silence expired in Alertmanager', async () => (await silences()).find((s) => s.id === silenceId)?.status.state === 'expired', 15_000);
    await eventually('the expiry note', () => replies(parent).find((t) => t.startsWith(`Silence expired by rita (Alertmanager silence ${silenceId})`)));

    // Good traffic only: the share of refused predictions in the rate window falls under 0.2 and the alert resolves.
    traffic = drive(['good', 'good', 'good', 'good'], 0);
    await withLogs(eventually('the resolution in the thread', () => replies(parent).find((t) => t.startsWith(`Resolved: all 1 alert of ${ALERT}`)), 90_000));
    await traffic.stop();
    traffic = undefined;
    expect(plain(parent.text)).toBe(`Resolved: ${ALERT} — sentiment in staging (0 firing, 1 resolved)`);

    // One parent for the group, updated in place (every chat.update on its ts), every reply in its thread.
    expect(parents()).toHaveLength(1);
    const updates = api!.callsTo('chat.update').filter((c) => c.args.channel === ALERTS);
    expect(updates.length).toBeGreaterThanOrEqual(3);
    expect(updates.every((c) => c.args.ts === parent.ts && c.outcome === 'ok')).toBe(true);
    const states = parent.history.map((h) => plain(h.text).split(':')[0]);
    expect(states[0]).toBe('Firing');
    expect(states[states.length - 1]).toBe('Resolved');
    expect(alertMessages().every((m) => m.ts === parent.ts || m.threadTs === parent.ts)).toBe(true);
    expect(replies(parent)).toEqual(expect.arrayContaining([expect.stringMatching(/^Details: 1 alert/), silenced, expect.stringMatching(/^Resolved: all 1 alert/)]));
  }, 180_000);
});
