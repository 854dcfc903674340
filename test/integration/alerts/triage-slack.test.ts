import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertGroupId } from '../../../core/index.js';
import { LocalDeployTarget } from '../../../deploy-targets/local/index.js';
import { groupWebhook, postToReceiver, type AlertFields, type GroupFields } from '../../helpers/alertmanager-payloads.js';
import { eventually } from '../../helpers/eventually.js';
import { InMemoryDeployTarget } from '../../helpers/in-memory-deploy-target.js';
import { requireService } from '../../helpers/required-service.js';
import { trainServableModel, type ServableModel } from '../../helpers/servable-model.js';
import type { FakeMessage, RecordedCall } from '../../helpers/slack-api-fake.js';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { blockActionsRequest, sendToSlackRoute, slashCommandRequest } from '../../helpers/slack-request.js';
import { freePort } from '../../helpers/free-port.js';

const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const haveAlertmanager = requireService(existsSync(ALERTMANAGER), `${ALERTMANAGER} is not installed (apt-get install -y prometheus-alertmanager)`);
const TOKEN = 'slack-triage-token-0123456789abcdefghijkl';
const signing = { secret: SIGNING_SECRET };
const TEAM = 'T0001';
/** Where people type commands; the alerts go to their own channels. */
const OPS = 'C0OPS';
const ALERTS = 'C0ALERTS';
const ONCALL = 'C0ONCALL';
const users = { dana: 'U0DANA', dee: 'U0DEE', vic: 'U0VIC' } as const;
type Person = keyof typeof users;

const errorRate: GroupFields = { alertname: 'Error rate', model: 'sentiment', env: 'staging' };
const highLatency: GroupFields = { alertname: 'High latency', model: 'sentiment', env: 'prod', severity: 'critical' };


/** A real Alertmanager for silences only (it notifies nobody: these tests post its webhooks themselves). */
async function startAlertmanager(dir: string): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, ['route:', '  receiver: nobody', 'receivers:', '  - name: nobody', ''].join('\n'));
  const child = spawn(ALERTMANAGER, [`--config.file=${configFile}`, `--storage.path=${join(dir, 'am')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await eventually('Alertmanager to be ready', async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok, 30_000);
  return { url, process: child };
}

/** The buttons of a Block Kit message, by label. */
function buttonsOf(message: { blocks?: unknown[] }): Array<{ action_id: string; value: string; text: { text: string } }> {
  return (message.blocks ?? []).flatMap((b) => ((b as { type: string }).type === 'actions' ? (b as { elements: Array<{ action_id: string; value: string; text: { text: string } }> }).elements : []));
}

/** Replies in a parent's thread, oldest first. */
const repliesTo = (slack: SlackHarness, parent: FakeMessage) => slack.api.thread(parent.channel, parent.ts).filter((m) => m.ts !== parent.ts).map((m) => m.text);
const labels = (message: { blocks?: unknown[] }) => buttonsOf(message).map((b) => b.text.text);
const shown = (message: { text: string; blocks?: unknown[] }) => `${message.text}\n${JSON.stringify(message.blocks ?? [])}`;

(haveAlertmanager ? describe : describe.skip)('alert triage through Slack (Bolt, the Web API fake, a real Alertmanager for silences)', () => {
  let dir: string;
  let alertmanager: { url: string; process: ChildProcess };
  let slack: SlackHarness;
  let target: InMemoryDeployTarget;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-triage-slack-'));
    alertmanager = await startAlertmanager(dir);
    slack = await startSlackHarness({
      configure: (config) => {
        config.rbac = { ...config.rbac, chatDefaultRoles: ['viewer'], users: { [`slack:${TEAM}:${users.dana}`]: ['deployer'], [`slack:${TEAM}:${users.dee}`]: ['deployer'] } };
        config.environments = config.environments.map((e) => (e.name === 'staging' ? { ...e, maxReplicas: 2 } : e));
        config.alerts = {
          rules: [], evaluator: 'embedded', evaluationIntervalSeconds: 15,
          receiverToken: TOKEN,
          alertmanagerUrl: alertmanager.url,
          onCall: '<!subteam^S0ONCALL>',
          routes: [
            { match: { severity: 'critical', env: 'prod' }, conversation: { platform: 'slack', workspace: TEAM, channelId: ONCALL } },
            { match: {}, conversation: { platform: 'slack', workspace: TEAM, channelId: ALERTS } },
          ],
        };
      },
      deployTarget: () => (target = new InMemoryDeployTarget()),
    });
    for (const [name, id] of Object.entries(users)) slack.api.addUser({ id, name, realName: name, displayName: name });
    await slack.store.registry.registerVersion({ model: 'sentiment', createdBy: 'slack:test:seed', jobId: 'j-seed', dataset: 'sentiment.csv', datasetHash: 'seed', metrics: { val_accuracy: 0.9 }, params: {}, artifactPath: 'models/sentiment/v1' });
    // Something live in staging, so the alerts there show it and offer Roll back and Scale up.
    await runJob('dana', 'deploy sentiment v1 to staging');
  }, 60_000);

  afterAll(async () => {
    await slack?.close();
    const am = alertmanager?.process;
    if (am && am.exitCode === null) await new Promise((resolve) => am.once('exit', resolve).kill('SIGTERM'));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** An empty token sends no Authorization header. */
  const post = (body: unknown, token = TOKEN, raw?: string) => postToReceiver(slack.url, body, token, raw);
  const notify = async (group: GroupFields, alerts: AlertFields[], truncatedAlerts = 0) => {
    const response = await post(groupWebhook(group, alerts, { truncatedAlerts }));
    expect(response.status).toBe(200);
    return (await response.json()) as { routed: boolean; groupId: string; change: string };
  };

  /** Top-level messages opsbot posted in a channel (no thread_ts). */
  const parentsIn = (channel: string) => slack.api.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && !c.args.thread_ts && c.outcome === 'ok');
  const parentOf = async (group: GroupFields): Promise<FakeMessage> => {
    const stored = await eventually('the stored parent', async () => (await slack.store.alertGroups.get(alertGroupId(groupWebhook(group, []).groupKey)))?.parentRef);
    const [channel, ts] = stored.split(':') as [string, string];
    return slack.api.messages.get(`${channel}:${ts}`)!;
  };
  const threadOf = (parent: FakeMessage) => repliesTo(slack, parent);

  async function runJob(who: Person, text: string): Promise<void> {
    const before = slack.results.length;
    expect((await sendToSlackRoute(slack.eventsUrl, slashCommandRequest({ text, userId: users[who], channelId: OPS }, signing))).status).toBe(200);
    const result = await eventually(`the answer to ${text}`, () => slack.results.length > before && slack.results[before]);
    if (!result.jobId) throw new Error(`no job for ${text}: ${result.reply.text}`);
    await eventually(`job ${result.jobId}`, async () => (await slack.store.jobs.get(result.jobId!))?.status === 'completed', 30_000);
  }

  /** Clicks a button of the parent as Slack sends the click; resolves with the dispatcher's answer. */
  async function click(who: Person, parent: FakeMessage, label: string) {
    const button = buttonsOf(parent).find((b) => b.text.text === label);
    if (!button) throw new Error(`no ${label} button on “${parent.text}” (has ${labels(parent).join(', ')})`);
    const before = slack.results.length;
    const response = await sendToSlackRoute(
      slack.eventsUrl,
      blockActionsRequest({ userId: users[who], userName: who, teamId: TEAM, channelId: parent.channel, message: { ts: parent.ts, text: parent.text, blocks: parent.blocks }, action: { type: 'button', action_id: button.action_id, value: button.value, text: button.text } }, signing),
    );
    expect(response.status).toBe(200);
    return eventually(`the answer to ${who}'s ${label}`, () => slack.results.length > before && slack.results[slack.results.length - 1]);
  }
  const ephemeralsTo = (who: Person, since: number): RecordedCall[] => slack.api.callsTo('chat.postEphemeral').slice(since).filter((c) => c.args.user === users[who]);

  it('answers a wrong or missing token 401, malformed JSON and a body that is not the webhook 400, and posts nothing', async () => {
    const before = slack.api.calls.length;
    const wrong = await post(groupWebhook(errorRate, [{ fingerprint: 'f1' }]), `${TOKEN}x`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await post(groupWebhook(errorRate, [{ fingerprint: 'f1' }]), '')).status).toBe(401);
    const malformed = await post(undefined, TOKEN, '{"version": "4", "groupKey": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: 'body is not valid JSON' });
    const shape = await post({ ...groupWebhook(errorRate, [{ fingerprint: 'f1' }]), version: 3, alerts: [{ status: 'burning' }] });
    expect(shape.status).toBe(400);
    expect(((await shape.json()) as { detail: string[] }).detail.join('\n')).toMatch(/version[\s\S]*alerts\.0\.status/);
    const empty = await post(undefined, TOKEN, '');
    expect(empty.status).toBeGreaterThanOrEqual(400);
    expect(empty.status).toBeLessThan(500);
    // (Only the alert channels: the deploy job's last progress update may still land in its own.)
    expect(slack.api.calls.slice(before).filter((call) => [ALERTS, ONCALL].includes(String(call.args.channel)))).toEqual([]);
    expect(await slack.store.alertGroups.getByGroupKey(groupWebhook(errorRate, []).groupKey)).toBeUndefined();
  });

  it('keeps one parent per group, updated in place from firing through repeat and partly resolved to resolved, with each change in its thread', async () => {
    expect(await notify(errorRate, [{ fingerprint: 'e1', labels: { pod: 'a' } }])).toMatchObject({ routed: true, change: 'new' });
    // Another group, critical in prod: routed to the on-call channel, a parent of its own.
    expect(await notify(highLatency, [{ fingerprint: 'l1', labels: { pod: 'a' }, annotations: { value: '812 ms', threshold: '500 ms' } }])).toMatchObject({ change: 'new' });
    const parent = await parentOf(errorRate);
    const critical = await parentOf(highLatency);
    expect([parent.channel, critical.channel]).toEqual([ALERTS, ONCALL]);
    expect(parent.text).toBe(':warning: Firing: Error rate — sentiment in staging (1 firing, 0 resolved)');
    expect(critical.text).toBe(':x: Firing: High latency — sentiment in prod (1 firing, 0 resolved)');
    expect(shown(parent)).toContain('sentiment v1 (blue) in staging');
    expect(shown(parent)).toContain('0.08 (threshold 0.05)');
    expect(shown(critical)).toContain('812 ms (threshold 500 ms)');
    // A live link to the alert's source, not its markup escaped into text.
    expect(shown(parent)).toContain('"text":"<http://prometheus:9090/graph?g0.expr=x|source>"');
    expect(labels(parent)).toEqual(['Acknowledge', 'Silence 1h', 'Silence 4h', 'Roll back', 'Scale up', 'Escalate']);
    expect(threadOf(parent)).toEqual([expect.stringMatching(/^:information_source: Details: 1 alert in group Error rate/)]);

    // Alertmanager's next notifications: a second alert, a repeat (with alerts it did not send), one resolving, all resolving.
    expect(await notify(errorRate, [{ fingerprint: 'e1', labels: { pod: 'a' } }, { fingerprint: 'e2', labels: { pod: 'b' } }])).toMatchObject({ change: 'changed' });
    expect(parent.text).toBe(':warning: Firing: Error rate — sentiment in staging (2 firing, 0 resolved)');
    expect(await notify(errorRate, [{ fingerprint: 'e1', labels: { pod: 'a' } }, { fingerprint: 'e2', labels: { pod: 'b' } }], 3)).toMatchObject({ change: 'repeat' });
    expect(shown(parent)).toContain('2 firing, 0 resolved, 3 more not sent by Alertmanager');
    expect(await notify(errorRate, [{ fingerprint: 'e1', labels: { pod: 'a' }, status: 'resolved' }, { fingerprint: 'e2', labels: { pod: 'b' } }])).toMatchObject({ change: 'partly_resolved' });
    expect(parent.text).toBe(':warning: Partly resolved: Error rate — sentiment in staging (1 firing, 1 resolved)');
    expect(shown(parent)).not.toContain('more not sent by Alertmanager');
    expect(await notify(errorRate, [{ fingerprint: 'e1', labels: { pod: 'a' }, status: 'resolved' }, { fingerprint: 'e2', labels: { pod: 'b' }, status: 'resolved' }])).toMatchObject({ change: 'resolved' });
    expect(parent.text).toBe(':white_check_mark: Resolved: Error rate — sentiment in staging (0 firing, 2 resolved)');
    expect(labels(parent)).toEqual([]);

    // Every state was an edit of the one parent: its history, and chat.update calls on its ts only.
    expect(parent.history.map((h) => h.text.replace(/ — .*\(/, ' (').replace(/^:\w+: /, ''))).toEqual([
      'Firing: Error rate (1 firing, 0 resolved)',
      'Firing: Error rate (2 firing, 0 resolved)',
      'Firing: Error rate (2 firing, 0 resolved)',
      'Partly resolved: Error rate (1 firing, 1 resolved)',
      'Resolved: Error rate (0 firing, 2 resolved)',
    ]);
    const updates = slack.api.callsTo('chat.update').filter((c) => c.args.channel === ALERTS);
    expect(updates.map((c) => c.args.ts)).toEqual([parent.ts, parent.ts, parent.ts, parent.ts]);
    expect(parentsIn(ALERTS)).toHaveLength(1);
    expect(parentsIn(ONCALL)).toHaveLength(1);
    expect(threadOf(parent)).toEqual([
      expect.stringMatching(/Details: 1 alert/),
      ':warning: Now 2 firing and 0 resolved (was 1 firing, 0 resolved).',
      ':warning: Still firing: 2 alerts of Error rate (repeat notification).',
      ':warning: Now 1 firing and 1 resolved (was 2 firing, 0 resolved).',
      ':white_check_mark: Resolved: all 2 alerts of Error rate have resolved.',
    ]);
    expect(slack.api.callsTo('chat.postMessage').filter((c) => c.args.channel === ALERTS && c.args.thread_ts).every((c) => c.args.thread_ts === parent.ts)).toBe(true);

    // Firing again after resolving stays in the same thread.
    expect(await notify(errorRate, [{ fingerprint: 'e1', labels: { pod: 'a' } }])).toMatchObject({ change: 'refired' });
    expect(parent.text).toBe(':warning: Partly resolved: Error rate — sentiment in staging (1 firing, 1 resolved)');
    expect(threadOf(parent).at(-1)).toBe(':x: Firing again: 1 alert of Error rate.');
    expect(parentsIn(ALERTS)).toHaveLength(1);
  });

  it('refuses a viewer’s click privately and audits it; acknowledges, silences in Alertmanager and expires, escalates and scales up by deployers’ clicks', async () => {
    const parent = await parentOf(highLatency);
    const id = alertGroupId(groupWebhook(highLatency, []).groupKey);

    // A viewer: refused only to them, said in the thread, audited as denied, nothing changed.
    const ephemerals = slack.api.callsTo('chat.postEphemeral').length;
    expect((await click('vic', parent, 'Acknowledge')).outcome).toBe('denied');
    expect(ephemeralsTo('vic', ephemerals).map((c) => String(c.args.text))).toEqual([expect.stringMatching(/You are not allowed to ack alerts/)]);
    expect(threadOf(parent).at(-1)).toBe(':warning: vic tried to ack this alert but is not allowed (needs a role with the `alerts` permission).');
    const [denied] = await slack.store.audit.query({ limit: 1 });
    expect(denied).toMatchObject({ outcome: 'denied', userId: users.vic, text: `alert ack ${id}` });
    expect((await slack.store.alertGroups.get(id))?.acknowledged).toBeUndefined();

    // Acknowledge: the parent shows who, and a repeat then updates it without a reply.
    expect((await click('dana', parent, 'Acknowledge')).outcome).toBe('completed');
    expect(shown(parent)).toMatch(/Acknowledged.*by dana at/);
    expect(labels(parent)).not.toContain('Acknowledge');
    expect(threadOf(parent).at(-1)).toBe(':information_source: Acknowledged by dana: repeat notifications are no longer posted here.');
    const [acked] = await slack.store.audit.query({ limit: 1 });
    expect(acked).toMatchObject({ outcome: 'completed', userId: users.dana, text: `alert ack ${id}` });
    const [replies, edits] = [threadOf(parent).length, parent.history.length];
    expect(await notify(highLatency, [{ fingerprint: 'l1', labels: { pod: 'a' } }])).toMatchObject({ change: 'repeat' });
    expect(parent.history.length).toBe(edits + 1);
    expect(threadOf(parent)).toHaveLength(replies);

    // Silence 1h: a real silence in Alertmanager on the group's labels, its id in the thread, then Expire silence.
    expect((await click('dana', parent, 'Silence 1h')).outcome).toBe('completed');
    const silenceId = (await slack.store.alertGroups.get(id))!.silence!.silenceId!;
    const silences = async () => (await (await fetch(`${alertmanager.url}/api/v2/silences`)).json()) as Array<{ id: string; status: { state: string }; matchers: Array<{ name: string; value: string; isEqual?: boolean }>; createdBy: string }>;
    const [silence] = (await silences()).filter((s) => s.status.state === 'active');
    expect(silence).toMatchObject({ id: silenceId, createdBy: 'dana via opsbot' });
    expect(silence!.matchers.map((m) => [m.name, m.value]).sort()).toEqual([['alertname', 'High latency'], ['env', 'prod'], ['model', 'sentiment']]);
    expect(threadOf(parent).at(-1)).toMatch(new RegExp(`^:information_source: Silenced for 1h by dana, until .*: Alertmanager silence ${silenceId}\\.$`));
    expect(shown(parent)).toContain(`(Alertmanager silence ${silenceId})`);
    // Nothing is live in prod here, so there is nothing to roll back or scale.
    expect(shown(parent)).toContain('sentiment in prod: nothing live');
    expect(labels(parent)).toEqual(['Expire silence', 'Escalate']);
    expect((await click('dana', parent, 'Expire silence')).outcome).toBe('completed');
    expect((await silences()).find((s) => s.id === silenceId)?.status.state).toBe('expired');
    expect(threadOf(parent).at(-1)).toBe(`:information_source: Silence expired by dana (Alertmanager silence ${silenceId}).`);
    expect(labels(parent)).toContain('Silence 1h');

    // Escalate: the configured on-call group, mentioned in the thread.
    expect((await click('dee', parent, 'Escalate')).outcome).toBe('completed');
    const mention = slack.api.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === parent.ts).at(-1)!;
    expect(String(mention.args.text)).toContain('<!subteam^S0ONCALL>: dee escalated High latency to you.');
    expect(shown(parent)).toMatch(/Escalated.*by dee/);
    expect(labels(parent)).not.toContain('Escalate');
  });

  it('Scale up runs the scale as the clicker on the deploy target, and refuses past the environment’s maximum', async () => {
    await notify(errorRate, [{ fingerprint: 'e1', labels: { pod: 'a' } }]);
    const parent = await parentOf(errorRate);
    const result = await click('dana', parent, 'Scale up');
    expect(result.jobId).toBeDefined();
    await eventually('the scale job', async () => (await slack.store.jobs.get(result.jobId!))?.status === 'completed', 30_000);
    expect(target.calls).toContain('scale sentiment/staging blue {"replicas":2}');
    expect((await target.status({ model: 'sentiment', env: 'staging' })).colours.blue.desiredReplicas).toBe(2);
    expect(threadOf(parent)).toContain(':information_source: dana asked to scale sentiment in staging from 1 to 2 replicas.');
    // staging allows 2: another click is refused to the clicker, and nothing more is scaled.
    const ephemerals = slack.api.callsTo('chat.postEphemeral').length;
    expect((await click('dana', parent, 'Scale up')).outcome).toBe('invalid');
    expect(ephemeralsTo('dana', ephemerals).map((c) => String(c.args.text))).toEqual([expect.stringMatching(/already runs 2 replicas, the most staging allows \(2\)/)]);
    expect(target.calls.filter((c) => c.startsWith('scale '))).toHaveLength(1);
  });

  it('an acknowledgement racing the resolving notification ends in one parent state, matching the stored group', async () => {
    const group: GroupFields = { alertname: 'Queue backlog', model: 'sentiment', env: 'staging' };
    await notify(group, [{ fingerprint: 'q1' }]);
    const parent = await parentOf(group);
    // A slow database: the acknowledgement's write is stored at once, but its answer comes back only after the
    // resolving notification was handled — the widest the race gets, made certain.
    const { alertGroups } = slack.store;
    const update = alertGroups.update.bind(alertGroups);
    let resolvedHandled = () => {};
    const handled = new Promise<void>((resolve) => (resolvedHandled = resolve));
    alertGroups.update = async (id, revision, patch) => {
      const saved = await update(id, revision, patch);
      if (saved && patch.acknowledged) await handled;
      return saved;
    };
    try {
      const ack = click('dana', parent, 'Acknowledge');
      await eventually('the acknowledgement stored', async () => (await alertGroups.get(parent && alertGroupId(groupWebhook(group, []).groupKey)))?.acknowledged);
      expect((await notify(group, [{ fingerprint: 'q1', status: 'resolved' }])).change).toBe('resolved');
      resolvedHandled();
      expect((await ack).outcome).toBe('completed');
    } finally {
      alertGroups.update = update;
    }
    const stored = (await alertGroups.getByGroupKey(groupWebhook(group, []).groupKey))!;
    expect(stored).toMatchObject({ status: 'resolved', acknowledged: { displayName: 'dana' } });
    // Both settled only once their edits landed (edits of one message are coalesced, the newest last): what shows now stays.
    expect(parent.text).toBe(':white_check_mark: Resolved: Queue backlog — sentiment in staging (0 firing, 1 resolved)');
    expect(shown(parent)).toMatch(/Acknowledged.*by dana/);
    expect(labels(parent)).toEqual([]);
    expect(parentsIn(ALERTS).filter((c) => String(c.args.text).includes('Queue backlog'))).toHaveLength(1);
  });
});

/**
 * Roll back from the alert, for real: model servers (onnxruntime-node child processes) behind the local
 * target's router; the click becomes `rollback sentiment in staging` as the clicker, with its confirmation.
 */
describe('Roll back from a Slack alert thread switches the live colour on the local target', () => {
  let model: ServableModel;
  let slack: SlackHarness;

  beforeAll(async () => {
    model = await trainServableModel();
    slack = await startSlackHarness({
      dataDir: model.dataDir,
      workDir: model.harness.dir,
      configure: (config) => {
        config.rbac = { ...config.rbac, chatDefaultRoles: ['viewer'], users: { [`slack:${TEAM}:${users.dana}`]: ['deployer'] } };
        config.deploy = { ...config.deploy, local: { basePort: 19400 } };
        config.alerts = { rules: [], evaluator: 'embedded', evaluationIntervalSeconds: 15, receiverToken: TOKEN, routes: [{ match: {}, conversation: { platform: 'slack', workspace: TEAM, channelId: ALERTS } }] };
      },
      deployTarget: (store, config) => new LocalDeployTarget({ dataDir: config.dataDir, registry: store.registry, config: config.deploy.local }),
    });
    for (const { version: _v, createdAt: _c, ...entry } of [model.fp32, model.int8]) await slack.store.registry.registerVersion(entry);
    slack.api.addUser({ id: users.dana, name: 'dana', realName: 'dana', displayName: 'dana' });
  }, 60_000);

  afterAll(async () => {
    await slack?.close();
    await model?.harness.close();
    if (model) rmSync(model.dataDir, { recursive: true, force: true });
  });

  const versionAt = async (url: string) => {
    const response = await fetch(`${url}/v2/models/sentiment/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: [{ name: 'text', shape: [1], datatype: 'BYTES', data: ['the app is fast'] }] }) });
    return ((await response.json()) as { model_version?: string }).model_version;
  };

  async function until(what: string, before: number) {
    return eventually(what, () => slack.results.length > before && slack.results[slack.results.length - 1], 30_000);
  }

  async function deploy(text: string): Promise<void> {
    const before = slack.results.length;
    await sendToSlackRoute(slack.eventsUrl, slashCommandRequest({ text, userId: users.dana, channelId: OPS }, signing));
    const result = await until(text, before);
    await eventually(`${text} done`, async () => (await slack.store.jobs.get(result.jobId!))?.status === 'completed', 60_000);
  }

  async function click(message: FakeMessage, label: string) {
    const button = buttonsOf(message).find((b) => b.text.text === label);
    if (!button) throw new Error(`no ${label} button on “${message.text}” (has ${labels(message).join(', ')})`);
    const before = slack.results.length;
    const request = blockActionsRequest({ userId: users.dana, userName: 'dana', teamId: TEAM, channelId: message.channel, message: { ts: message.ts, thread_ts: message.threadTs, text: message.text, blocks: message.blocks }, action: { type: 'button', action_id: button.action_id, value: button.value, text: button.text } }, signing);
    expect((await sendToSlackRoute(slack.eventsUrl, request)).status).toBe(200);
    return until(`the answer to ${label}`, before);
  }

  it('asks for the rollback’s confirmation in the thread, then serves the previous version from the other colour', async () => {
    await deploy('deploy sentiment v1 to staging');
    await deploy('deploy sentiment v2 to staging');
    const slot = { model: 'sentiment', env: 'staging' };
    const endpoint = (await slack.deployer.target.status(slot)).endpoint!;
    expect(await versionAt(endpoint)).toBe('2');
    expect((await slack.store.blueGreen.slot('sentiment', 'staging'))?.live).toBe('green');

    const response = await postToReceiver(slack.url, groupWebhook(errorRate, [{ fingerprint: 'rb1' }]), TOKEN);
    expect(response.status).toBe(200);
    const ref = (await slack.store.alertGroups.getByGroupKey(groupWebhook(errorRate, []).groupKey))!.parentRef!;
    const parent = slack.api.messages.get(ref)!;
    expect(shown(parent)).toContain('sentiment v2 (green) in staging');

    // The click runs `rollback sentiment in staging` as dana, who confirms it in the thread like any rollback.
    const asked = await click(parent, 'Roll back');
    expect(asked.confirmationToken).toBeDefined();
    const question = await eventually('the confirmation in the thread', () => slack.api.thread(ALERTS, parent.ts).find((m) => labels(m).length > 0 && m.ts !== parent.ts));
    expect(question.threadTs).toBe(parent.ts);
    const confirmButton = labels(question).find((label) => /^(yes|confirm|roll back)/i.test(label))!;
    const confirmed = await click(question, confirmButton);
    await eventually('the rollback job', async () => (await slack.store.jobs.get(confirmed.jobId!))?.status === 'completed', 60_000);
    expect((await slack.store.blueGreen.slot('sentiment', 'staging'))?.live).toBe('blue');
    expect((await slack.deployer.target.status(slot)).live).toBe('blue');
    expect(await versionAt(endpoint)).toBe('1');
    expect(repliesTo(slack, parent)).toContain(':warning: dana asked to roll back sentiment in staging.');
    const audit = (await slack.store.audit.query({ limit: 10 })).map((r) => [r.text, r.outcome]);
    expect(audit).toEqual(expect.arrayContaining([[expect.stringMatching(/^alert rollback a-/), 'accepted']]));
  }, 120_000);
});
