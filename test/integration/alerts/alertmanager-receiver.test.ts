import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { alertRuleListSchema } from '../../../core/config/alert-rules.schema.js';
import { ruleAlertKey, ruleAlertLabels, ruleAlertNotification } from '../../../monitoring/evaluator/index.js';
import { AlertCommands, AlertmanagerClient, AlertTriage, mountAlertmanagerReceiver } from '../../../alerts/index.js';
import { defaultConfig, silentLogger, type ChatPort, type ConversationRef, type Identity, type Message, type OpsbotConfig } from '../../../core/index.js';
import { openSqliteStateStore, type SqliteStateStore } from '../../../store/index.js';
import { postToReceiver, webhook } from '../../helpers/alertmanager-payloads.js';
import { eventually } from '../../helpers/eventually.js';
import { requireService } from '../../helpers/required-service.js';
import { freePort } from '../../helpers/free-port.js';

const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const haveAlertmanager = requireService(existsSync(ALERTMANAGER), `${ALERTMANAGER} is not installed (apt-get install -y prometheus-alertmanager)`);
const TOKEN = 'test-alertmanager-token-0123456789abcdef';
const ONCALL: ConversationRef = { platform: 'slack', workspace: 'T1', channelId: 'CONCALL' };
const deployer: Identity = { platform: 'slack', workspace: 'T1', userId: 'UDEP', displayName: 'dana' };
const viewer: Identity = { platform: 'slack', workspace: 'T1', userId: 'UVIEW', displayName: 'vic' };

/** A ChatPort that keeps what was posted and updated, with Slack-shaped refs (`channel:ts`). */
class RecordingChat implements ChatPort {
  readonly posts: Array<{ conversation: ConversationRef; message: Message; ref: string }> = [];
  readonly updates: Array<{ ref: string; message: Message }> = [];
  private seq = 0;
  async post(conversation: ConversationRef, message: Message): Promise<string> {
    const ref = `${conversation.channelId}:1000.${++this.seq}`;
    this.posts.push({ conversation, message, ref });
    return ref;
  }
  async update(_conversation: ConversationRef, ref: string, message: Message): Promise<void> {
    this.updates.push({ ref, message });
  }
  parents() {
    return this.posts.filter((p) => p.conversation.threadId === undefined);
  }
  thread(parentRef: string) {
    const ts = parentRef.slice(parentRef.indexOf(':') + 1);
    return this.posts.filter((p) => p.conversation.threadId === ts).map((p) => p.message.text);
  }
  latest(ref: string): Message | undefined {
    return [...this.updates].reverse().find((u) => u.ref === ref)?.message ?? this.posts.find((p) => p.ref === ref)?.message;
  }
}

function config(alertmanagerUrl?: string): OpsbotConfig {
  const base = defaultConfig();
  return {
    ...base,
    rbac: { ...base.rbac, users: { 'slack:T1:UDEP': ['deployer'], 'slack:T1:UDEP2': ['deployer'] } },
    alerts: {
      rules: [], evaluator: 'embedded', evaluationIntervalSeconds: 15,
      receiverToken: TOKEN,
      alertmanagerUrl,
      onCall: '<!subteam^S0ONCALL>',
      routes: [
        { match: { severity: 'critical', env: 'prod' }, conversation: ONCALL },
        { match: {}, conversation: { platform: 'slack', workspace: 'T1', channelId: 'CDEFAULT' } },
      ],
    },
  };
}

async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}


/** The receiver with this suite's token unless a test says otherwise. */
const post = (url: string, body: unknown, token = TOKEN, raw?: string) => postToReceiver(url, body, token, raw);

async function seedLiveDeployment(store: SqliteStateStore): Promise<void> {
  await store.blueGreen.saveSlot({ model: 'sentiment', env: 'prod', live: 'green', colours: { green: { version: 3, scaling: { replicas: 3 } }, blue: { version: 2, scaling: { replicas: 3 } } } });
  await store.blueGreen.create({
    id: 'd-deploy03',
    jobId: 'j-deploy03',
    model: 'sentiment',
    env: 'prod',
    version: 3,
    colour: 'green',
    previousVersion: 2,
    phase: 'live',
    decidedBy: 'alice',
    requestedBy: deployer,
    conversation: ONCALL,
    approvalsRequired: 0,
  });
}

describe('POST /alerts/alertmanager with real-format payloads', () => {
  let store: SqliteStateStore;
  let chat: RecordingChat;
  let http: { server: Server; url: string };
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-alert-receiver-'));
    store = openSqliteStateStore(join(dir, 'state.db'));
    chat = new RecordingChat();
    const app = express();
    mountAlertmanagerReceiver(app, { token: TOKEN, triage: new AlertTriage({ store, chat, routes: config().alerts!.routes, log: silentLogger }), log: silentLogger });
    http = await listen(app);
  });

  afterEach(async () => {
    await new Promise((resolve) => http.server.close(resolve));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a missing or wrong token (401), a malformed or foreign body (400) and a huge one (413), with JSON errors', async () => {
    const missing = await post(http.url, webhook(), '');
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: expect.stringContaining('token') });
    expect((await post(http.url, webhook(), `${TOKEN}x`)).status).toBe(401);
    const malformed = await post(http.url, undefined, TOKEN, '{"version": "4", ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: expect.stringContaining('JSON') });
    const foreign = await post(http.url, { ...webhook(), version: '3', alerts: 'none' });
    expect(foreign.status).toBe(400);
    expect(((await foreign.json()) as { detail: string[] }).detail.join(' ')).toMatch(/version|alerts/);
    expect((await post(http.url, undefined, TOKEN, JSON.stringify({ pad: 'x'.repeat(3 * 1024 * 1024) }))).status).toBe(413);
    expect(chat.posts).toHaveLength(0);
  });

  it('routes by labels, and a restart never posts a second parent; truncated alerts are counted', async () => {
    expect((await post(http.url, webhook())).status).toBe(200);
    expect(chat.parents().map((p) => p.conversation.channelId)).toEqual(['CDEFAULT']);
    const parent = chat.parents()[0]!;
    expect(parent.message.text).toBe('Firing: Error rate — sentiment in staging (1 firing, 0 resolved)');
    // A second process (or this one restarted) on the same store.
    const chat2 = new RecordingChat();
    const app2 = express();
    mountAlertmanagerReceiver(app2, { token: TOKEN, triage: new AlertTriage({ store, chat: chat2, routes: config().alerts!.routes, log: silentLogger }), log: silentLogger });
    const http2 = await listen(app2);
    try {
      const again = await post(http2.url, webhook({ truncatedAlerts: 4 }));
      expect(await again.json()).toMatchObject({ routed: true, change: 'repeat' });
      expect(chat2.parents()).toHaveLength(0);
      expect(chat2.updates.map((u) => u.ref)).toEqual([parent.ref]);
      expect(JSON.stringify(chat2.updates[0]!.message)).toContain('4 more not sent by Alertmanager');
    } finally {
      await new Promise((resolve) => http2.server.close(resolve));
    }
  });
});

(haveAlertmanager ? describe : describe.skip)('a real Alertmanager delivering to opsbot', () => {
  let dir: string;
  let alertmanager: ChildProcess | undefined;
  let amUrl: string;
  let store: SqliteStateStore;
  let chat: RecordingChat;
  let http: { server: Server; url: string };
  let commands: AlertCommands;
  let triage: AlertTriage;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-alertmanager-'));
    store = openSqliteStateStore(join(dir, 'state.db'));
    await seedLiveDeployment(store);
    chat = new RecordingChat();
    const amPort = await freePort();
    amUrl = `http://127.0.0.1:${amPort}`;
    const cfg = config(amUrl);
    triage = new AlertTriage({ store, chat, routes: cfg.alerts!.routes, log: silentLogger });
    commands = new AlertCommands({ config: cfg, store, triage, alertmanager: new AlertmanagerClient(amUrl), log: silentLogger });
    const app = express();
    mountAlertmanagerReceiver(app, { token: TOKEN, triage, log: silentLogger });
    http = await listen(app);
    const configFile = join(dir, 'alertmanager.yml');
    writeFileSync(
      configFile,
      [
        'route:',
        '  receiver: opsbot',
        "  group_by: ['alertname', 'model', 'env']",
        '  group_wait: 1s',
        '  group_interval: 2s',
        '  repeat_interval: 3s',
        'receivers:',
        '  - name: opsbot',
        '    webhook_configs:',
        `      - url: ${http.url}/alerts/alertmanager`,
        '        send_resolved: true',
        '        http_config:',
        '          authorization:',
        '            type: Bearer',
        `            credentials: ${TOKEN}`,
        '',
      ].join('\n'),
    );
    expect(spawnSync('/usr/bin/amtool', ['check-config', configFile]).status).toBe(0);
    alertmanager = spawn(ALERTMANAGER, [`--config.file=${configFile}`, `--storage.path=${join(dir, 'am')}`, `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address='], { stdio: 'ignore' });
    await eventually('Alertmanager to be ready', async () => (await fetch(`${amUrl}/-/ready`).catch(() => undefined))?.ok, 30_000);
  }, 60_000);

  afterAll(async () => {
    alertmanager?.kill('SIGTERM');
    await new Promise((resolve) => http?.server.close(resolve));
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const labels = (pod: string) => ({ alertname: 'High latency', severity: 'critical', model: 'sentiment', env: 'prod', pod });
  const sendAlerts = (alerts: Array<{ pod: string; endsAt?: string }>) =>
    fetch(`${amUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        alerts.map(({ pod, endsAt }) => ({
          labels: labels(pod),
          annotations: { summary: 'p95 latency over 500 ms', value: '812 ms', threshold: '500 ms' },
          generatorURL: 'http://prometheus:9090/graph?g0.expr=latency',
          ...(endsAt ? { endsAt } : {}),
        })),
      ),
    }).then((r) => expect(r.status).toBe(200));
  const silences = async () => (await (await fetch(`${amUrl}/api/v2/silences`)).json()) as Array<{ id: string; status: { state: string }; matchers: Array<{ name: string; value: string }> }>;

  it('posts one parent per group, updates it in place through repeats, partial resolution and resolution, and the buttons act', async () => {
    await sendAlerts([{ pod: 'a' }]);
    const parent = await eventually('the parent message', () => chat.parents()[0], 30_000);
    expect(parent.conversation).toEqual(ONCALL);
    expect(parent.message.text).toBe('Firing: High latency — sentiment in prod (1 firing, 0 resolved)');
    expect(parent.message.tone).toBe('error');
    const fields = JSON.stringify(parent.message.blocks);
    expect(fields).toContain('sentiment v3 (green) in prod, promoted by alice');
    expect(fields).toContain('812 ms (threshold 500 ms)');
    expect(fields).toContain('http://prometheus:9090/graph?g0.expr=latency');
    await eventually('the details reply', () => chat.thread(parent.ref).find((t) => t.startsWith('Details: 1 alert')));

    await sendAlerts([{ pod: 'a' }, { pod: 'b' }]);
    await eventually('the second alert in the thread', () => chat.thread(parent.ref).find((t) => t.startsWith('Now 2 firing and 0 resolved')), 30_000);
    expect(chat.latest(parent.ref)?.text).toBe('Firing: High latency — sentiment in prod (2 firing, 0 resolved)');
    await eventually('a repeat notification', () => chat.thread(parent.ref).find((t) => t.startsWith('Still firing')), 30_000);

    // A viewer's click is refused and shown; a deployer's acknowledges and stops repeat pings.
    const id = idOf(parent.message);
    const refused = await commands.answer({ identity: viewer, conversation: ONCALL, text: `alert ack ${id}` });
    expect(refused.outcome).toBe('denied');
    expect(chat.thread(parent.ref)).toContain('vic tried to ack this alert but is not allowed (needs a role with the `alerts` permission).');
    // Two people acknowledging at once: one of them is recorded, once, and the other is told who.
    const [ack1, ack2] = await Promise.all([
      commands.answer({ identity: deployer, conversation: ONCALL, text: `alert ack ${id}` }),
      commands.answer({ identity: { ...deployer, userId: 'UDEP2', displayName: 'dee' }, conversation: ONCALL, text: `alert ack ${id}` }),
    ]);
    expect([ack1.outcome, ack2.outcome]).toEqual(['completed', 'completed']);
    const ackedBy = (await store.alertGroups.get(id))!.acknowledged!.displayName;
    expect(chat.thread(parent.ref).filter((t) => t.startsWith('Acknowledged by'))).toEqual([`Acknowledged by ${ackedBy}: repeat notifications are no longer posted here.`]);
    expect([ack1.reply.text, ack2.reply.text]).toContain(`Already acknowledged by ${ackedBy} at ${(await store.alertGroups.get(id))!.acknowledged!.at}.`);
    expect(JSON.stringify(chat.latest(parent.ref))).toContain('Acknowledged');
    // Acknowledged: Alertmanager's next repeat updates the parent but pings nobody in the thread.
    const stillFiring = () => chat.thread(parent.ref).filter((t) => t.startsWith('Still firing')).length;
    const [pingsBefore, updatesBefore] = [stillFiring(), chat.updates.length];
    await eventually('a repeat notification after the ack', () => chat.updates.length > updatesBefore, 30_000);
    expect(stillFiring()).toBe(pingsBefore);

    // Two people silencing at once: one real silence in Alertmanager, its id in the thread.
    const [s1, s2] = await Promise.all([
      commands.answer({ identity: deployer, conversation: ONCALL, text: `alert silence ${id} 1h` }),
      commands.answer({ identity: deployer, conversation: ONCALL, text: `alert silence ${id} 4h` }),
    ]);
    expect([s1.outcome, s2.outcome]).toEqual(['completed', 'completed']);
    const silenceId = (await store.alertGroups.get(id))!.silence!.silenceId!;
    const active = (await silences()).filter((s) => s.status.state === 'active');
    expect(active.map((s) => s.id)).toEqual([silenceId]);
    expect(active[0]!.matchers).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'alertname', value: 'High latency' }), expect.objectContaining({ name: 'env', value: 'prod' })]));
    expect(chat.thread(parent.ref).some((t) => t.includes(`Alertmanager silence ${silenceId}`))).toBe(true);
    expect(JSON.stringify(chat.latest(parent.ref))).toContain(`alert unsilence ${id}`);

    // Expire silence removes it from Alertmanager.
    expect((await commands.answer({ identity: deployer, conversation: ONCALL, text: `alert unsilence ${id}` })).outcome).toBe('completed');
    expect((await silences()).find((s) => s.id === silenceId)?.status.state).toBe('expired');
    expect(chat.thread(parent.ref).some((t) => t.startsWith('Silence expired by dana'))).toBe(true);

    // Escalate mentions the on-call group; roll back and scale up hand the usual commands to the normal path.
    await commands.answer({ identity: deployer, conversation: ONCALL, text: `alert escalate ${id}` });
    expect(chat.thread(parent.ref)).toContain('<!subteam^S0ONCALL>: dana escalated High latency to you.');
    expect((await commands.answer({ identity: deployer, conversation: ONCALL, text: `alert rollback ${id}` })).then).toBe('rollback sentiment in prod');
    expect((await commands.answer({ identity: deployer, conversation: ONCALL, text: `alert scale-up ${id}` })).then).toBe('scale sentiment in prod to 4');

    const now = new Date().toISOString();
    await sendAlerts([{ pod: 'a', endsAt: now }, { pod: 'b' }]);
    await eventually('the partial resolution', () => chat.thread(parent.ref).find((t) => t.startsWith('Now 1 firing and 1 resolved')), 30_000);
    expect(chat.latest(parent.ref)?.text).toBe('Partly resolved: High latency — sentiment in prod (1 firing, 1 resolved)');
    await sendAlerts([{ pod: 'a', endsAt: now }, { pod: 'b', endsAt: now }]);
    await eventually('the resolution', () => chat.thread(parent.ref).find((t) => t.startsWith('Resolved: all 2 alerts')), 30_000);
    expect(chat.latest(parent.ref)?.text).toBe('Resolved: High latency — sentiment in prod (0 firing, 2 resolved)');
    expect(chat.latest(parent.ref)?.tone).toBe('success');
    // Everything went into one thread under one parent.
    expect(chat.parents()).toHaveLength(1);
    expect(chat.posts.every((p) => p.ref === parent.ref || p.conversation.threadId === parent.ref.split(':')[1])).toBe(true);
  }, 120_000);

  it('takes opsbot\'s own evaluator\'s alerts on the same path, and silences them in opsbot (Alertmanager never sees them)', async () => {
    const [rule] = alertRuleListSchema.parse([{ name: 'Error rate', metric: 'error_rate', threshold: 0.05, period: '1m', severity: 'critical', env: 'prod' }]);
    const at = new Date().toISOString();
    const fired = { key: ruleAlertKey(rule!, 'sentiment', 'prod'), rule: 'Error rate', model: 'sentiment', env: 'prod', status: 'firing' as const, activeSince: at, firingSince: at, value: 0.2, labels: ruleAlertLabels(rule!, 'sentiment', 'prod'), revision: 1 };
    const result = await triage.receive(ruleAlertNotification(rule!, fired));
    expect(result).toMatchObject({ routed: true, change: 'new' });
    const id = (result as { groupId: string }).groupId;
    const parent = chat.parents().find((p) => p.message.text.startsWith('Firing: ErrorRate'))!;
    expect(parent.conversation).toEqual(ONCALL);
    const fields = JSON.stringify(parent.message.blocks);
    expect(fields).toContain('0.2 ratio (threshold > 0.05 ratio)');
    expect(fields).toContain('sentiment v3 (green) in prod, promoted by alice');
    const before = (await silences()).length;
    expect((await commands.answer({ identity: deployer, conversation: ONCALL, text: `alert silence ${id} 1h` })).outcome).toBe('completed');
    expect((await store.alertGroups.get(id))!.silence).toMatchObject({ kind: 'opsbot', displayName: 'dana' });
    expect((await silences()).length).toBe(before);
    expect(chat.thread(parent.ref).some((t) => t.includes('an opsbot silence (repeat notifications are not posted; opsbot evaluates this rule itself)'))).toBe(true);
    await triage.receive(ruleAlertNotification(rule!, { ...fired, status: 'resolved', resolvedAt: new Date().toISOString(), value: 0.01 }));
    expect(chat.latest(parent.ref)?.text).toBe('Resolved: ErrorRate — sentiment in prod (0 firing, 1 resolved)');
  }, 30_000);
});

/** The group id the parent's buttons carry. */
function idOf(message: Message): string {
  const buttons = message.blocks.find((b) => b.type === 'buttons');
  const command = buttons && buttons.type === 'buttons' ? buttons.buttons[0]!.command : '';
  return /a-[0-9a-f]{10}/.exec(command)![0];
}
