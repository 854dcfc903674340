import { rmSync } from 'node:fs';
import { startBotServer, type BotServer } from '../../../app/bot-server.js';
import { LOCAL_CONVERSATION } from '../../../bot/local/index.js';
import { alertRuleListSchema } from '../../../core/config/alert-rules.schema.js';
import { loadConfig, silentLogger, type Identity, type OpsbotConfig } from '../../../core/index.js';
import { readLocalFileSd } from '../../../monitoring/index.js';
import { eventually } from '../../helpers/eventually.js';
import { playgroundUser } from '../../helpers/playground-stack.js';
import { freePort } from '../../helpers/prometheus-stack.js';
import { trainServableModel, type ServableModel } from '../../helpers/servable-model.js';

/** More than a fifth of sentiment's staging predictions refused, for 2 s. */
const RULE = { name: 'Client errors', metric: 'client_error_rate', threshold: 0.2, period: '2s', severity: 'warning', env: 'staging' };
const admin: Identity = { ...playgroundUser, userId: 'root', displayName: 'root' };

/**
 * The embedded default with alert rules and nothing else: no Prometheus, no Alertmanager, no receiver token. opsbot
 * scrapes the model server it runs, fires the rule into a triage thread in the local chat (the terminal here, as no
 * routes are configured and the playground is off), and resolves it in the same parent; a restart does not fire again.
 */
describe('the embedded evaluator in the bot', () => {
  let model: ServableModel;
  let config: OpsbotConfig;
  let bot: BotServer | undefined;
  let endpoint: string;

  async function start(): Promise<BotServer> {
    bot = await startBotServer({ config, log: silentLogger, workDir: model.harness.dir, localUser: playgroundUser, fallbackToFreePort: false });
    return bot;
  }

  async function say(text: string): Promise<void> {
    await bot!.runtime.dispatcher.handle({ identity: admin, conversation: LOCAL_CONVERSATION, text });
  }

  async function predict(kind: 'good' | 'bad'): Promise<number> {
    const body = kind === 'good' ? { instances: ['the app is fast'] } : { instances: 'not a list' };
    const response = await fetch(`${endpoint}/v1/models/sentiment:predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await response.arrayBuffer();
    return response.status;
  }

  const parents = () => bot!.workspace.history().filter((m) => m.conversation.channelId === 'terminal' && !m.conversation.threadId && /ClientErrors/.test(m.message.text));
  const thread = (ref: string) => bot!.workspace.history().filter((m) => m.conversation.threadId === ref).map((m) => m.message.text);

  beforeAll(async () => {
    model = await trainServableModel();
    ({ config } = loadConfig({ OPSBOT_DATA_DIR: model.dataDir, OPSBOT_JOB_BACKOFF_MS: '50', PORT: '0' }, model.harness.dir));
    config.playground = { ...config.playground, enabled: false };
    config.rbac = { ...config.rbac, users: { 'local::root': ['admin'] } };
    config.environments = config.environments.map((e) => (e.name === 'staging' ? { ...e, minReplicas: 1, replicas: 1 } : e));
    config.deploy = { ...config.deploy, local: { ...config.deploy.local, basePort: await freePort() } };
    config.alerts = { rules: alertRuleListSchema.parse([RULE]), evaluator: 'embedded', evaluationIntervalSeconds: 1, routes: [] };
    await start();
    await say('deploy sentiment v1 to staging');
    await eventually('v1 live in staging', async () => (await bot!.runtime.store.blueGreen.list({ model: 'sentiment', env: 'staging', limit: 1 }))[0]?.phase === 'live', 90_000);
    const live = (await readLocalFileSd(model.dataDir)).find((group) => group.labels.env === 'staging' && group.labels.role === 'live')!;
    endpoint = `http://${live.targets[0]}`;
  }, 180_000);

  afterAll(async () => {
    await bot?.stop();
    await model?.harness.close();
    if (model) rmSync(model.dataDir, { recursive: true, force: true });
  }, 60_000);

  it('fires on refused predictions, keeps firing across a restart without a second parent, and resolves in place', async () => {
    expect(await predict('good')).toBe(200);
    expect(await predict('bad')).toBe(400);
    // Half refused, for longer than the period.
    await eventually(
      'the alert posted in the terminal',
      async () => {
        await predict('bad');
        await predict('good');
        return parents().length > 0;
      },
      30_000,
    );
    const [parent] = parents();
    expect(parent!.message.text).toMatch(/^Firing: ClientErrors — sentiment in staging/);
    const fields = JSON.stringify(parent!.message.blocks);
    expect(fields).toContain('v1');
    expect(fields).toMatch(/threshold > 0\.2 ratio/);
    expect(thread(parent!.ref).join('\n')).toMatch(/client_error_rate/);
    const [stored] = await bot!.runtime.store.ruleAlerts.list();
    expect(stored).toMatchObject({ key: 'ClientErrors|sentiment|staging', status: 'firing', notifiedAt: expect.any(String) });

    // A restart: the same alert is still firing, and no new parent or "firing" note is posted for it.
    await bot!.stop();
    bot = undefined;
    await start();
    for (let i = 0; i < 4; i++) {
      await predict('bad');
      await predict('good');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(await bot!.runtime.store.ruleAlerts.list()).toEqual([expect.objectContaining({ key: stored!.key, firingSince: stored!.firingSince })]);
    // The new process's local chat starts empty: nothing of this alert was posted again.
    expect(bot!.workspace.history().filter((m) => /ClientErrors/.test(m.message.text))).toEqual([]);

    // Good traffic only: resolved, in the group's one parent (posted again in this process's chat, as the old one is gone).
    await eventually(
      'resolved',
      async () => {
        await predict('good');
        return (await bot!.runtime.store.ruleAlerts.list()).length === 0;
      },
      30_000,
    );
    const group = await bot!.runtime.store.alertGroups.getByGroupKey('opsbot-embedded/{}:{alertname="ClientErrors",env="staging",model="sentiment"}');
    expect(group).toMatchObject({ status: 'resolved', receiver: 'opsbot-embedded', conversation: LOCAL_CONVERSATION });
  }, 120_000);
});
