/**
 * @jest-environment ./test/helpers/onnx-environment.ts
 */
import { alertGroupId, type Identity } from '../../../core/index.js';
import { sharedIntentClassifier } from '../../../intents/index.js';
import { startEmbeddedBot, type EmbeddedBot } from '../../helpers/embedded-bot.js';
import { alice, terminal } from '../../helpers/fixtures.js';

const TOKEN = 'dispatch-test-token-0123456789abcdefgh';
const groupKey = '{}:{alertname="High latency", env="prod", model="sentiment"}';
const slackViewer: Identity = { platform: 'slack', workspace: 'T1', userId: 'UVIEW', displayName: 'vic' };

describe('alert buttons through the dispatcher (the embedded runtime wired with alerts.receiverToken)', () => {
  let bot: EmbeddedBot;

  beforeAll(async () => {
    bot = await startEmbeddedBot({
      env: { OPSBOT_ALERTMANAGER_TOKEN: TOKEN },
      configure: (config) => {
        config.alerts!.routes = [{ match: {}, conversation: terminal }];
      },
    });
    await bot.runtime.alertTriage!.triage.receive({
      version: '4',
      groupKey,
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'opsbot',
      groupLabels: { alertname: 'High latency', env: 'prod', model: 'sentiment' },
      commonLabels: { alertname: 'High latency', env: 'prod', model: 'sentiment', severity: 'critical' },
      commonAnnotations: {},
      alerts: [{ status: 'firing', labels: { alertname: 'High latency', env: 'prod', model: 'sentiment', severity: 'critical' }, annotations: {}, startsAt: '2026-12-01T10:00:00Z', fingerprint: 'f00d' }],
    });
  }, 60_000);

  afterAll(async () => {
    // The command path starts loading the intent model for words; let it finish before the environment goes.
    await sharedIntentClassifier().catch(() => undefined);
    await bot?.stop();
  });

  const lastAudit = async () => (await bot.runtime.store.audit.query({ limit: 1 }))[0]!;

  it('acknowledges for a role with the alerts permission, and audits it', async () => {
    const id = alertGroupId(groupKey);
    const result = await bot.runtime.dispatcher.handle({ identity: alice, conversation: terminal, text: `alert ack ${id}` });
    expect(result.outcome).toBe('completed');
    expect((await bot.runtime.store.alertGroups.get(id))?.acknowledged?.who).toBe('local:alice');
    expect(await lastAudit()).toMatchObject({ outcome: 'completed', text: `alert ack ${id}`, userId: 'alice' });
  });

  it('refuses a chat viewer (no alerts permission) and audits the refusal', async () => {
    const id = alertGroupId(groupKey);
    const result = await bot.runtime.dispatcher.handle({ identity: slackViewer, conversation: terminal, text: `alert silence ${id} 1h` });
    expect(result.outcome).toBe('denied');
    expect(result.reply.text).toMatch(/not allowed to silence alerts/);
    expect((await bot.runtime.store.alertGroups.get(id))?.silence).toBeUndefined();
    expect(await lastAudit()).toMatchObject({ outcome: 'denied', userId: 'UVIEW' });
  });

  it('opsbot-silences without an Alertmanager configured', async () => {
    const id = alertGroupId(groupKey);
    const result = await bot.runtime.dispatcher.handle({ identity: alice, conversation: terminal, text: `alert silence ${id} 4h` });
    expect(result.outcome).toBe('completed');
    expect((await bot.runtime.store.alertGroups.get(id))?.silence).toMatchObject({ kind: 'opsbot', displayName: 'alice' });
  });

  it('Roll back runs `rollback <model> in <env>` through the normal path', async () => {
    const id = alertGroupId(groupKey);
    const result = await bot.runtime.dispatcher.handle({ identity: alice, conversation: terminal, text: `alert rollback ${id}` });
    // Nothing was ever deployed here: the normal rollback path answers that, in its own words.
    expect(result.outcome).toBe('invalid');
    const trail = (await bot.runtime.store.audit.query({ limit: 2 })).map((r) => [r.outcome, r.action ?? null]);
    expect(trail[1]).toEqual(['accepted', null]);
    expect(trail[0]![0]).toBe('invalid');
  });
});
