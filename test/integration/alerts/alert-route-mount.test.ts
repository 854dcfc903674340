import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBotServer, type BotServer } from '../../../app/bot-server.js';
import { defaultConfig, silentLogger, type OpsbotConfig } from '../../../core/index.js';
import { eventually } from '../../helpers/eventually.js';
import { playgroundUser } from '../../helpers/playground-stack.js';

const TOKEN = 'mount-test-token-0123456789abcdefghijk';

function testConfig(dir: string, alerts?: OpsbotConfig['alerts']): OpsbotConfig {
  const config = defaultConfig();
  config.dataDir = join(dir, 'state');
  config.http.port = 0;
  config.playground.enabled = false;
  config.alerts = alerts;
  return config;
}

describe('the bot server mounts POST /alerts/alertmanager only with a receiver token', () => {
  let dir: string;
  let bot: BotServer | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-alert-mount-'));
  });
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the receiver on the one HTTP server, posting the thread in the routed conversation', async () => {
    bot = await startBotServer({
      config: testConfig(dir, { rules: [], evaluator: 'embedded', evaluationIntervalSeconds: 15, receiverToken: TOKEN, routes: [{ match: {}, conversation: { platform: 'local', workspace: '', channelId: 'alerts' } }] }),
      log: silentLogger,
      workDir: dir,
      localUser: playgroundUser,
      fallbackToFreePort: false,
    });
    const url = `${bot.http!.url}/alerts/alertmanager`;
    expect((await fetch(url, { method: 'POST', body: '{}' })).status).toBe(401);
    const body = {
      version: '4', groupKey: '{}:{alertname="Error rate"}', truncatedAlerts: 0, status: 'firing', receiver: 'opsbot',
      groupLabels: { alertname: 'Error rate' }, commonLabels: { alertname: 'Error rate', severity: 'warning' }, commonAnnotations: {}, externalURL: 'http://am:9093',
      alerts: [{ status: 'firing', labels: { alertname: 'Error rate', severity: 'warning' }, annotations: {}, startsAt: '2026-12-01T10:00:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: 'ab12' }],
    };
    const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ routed: true, change: 'new' });
    await eventually('the group stored with its parent', async () => (await bot!.runtime.store.alertGroups.getByGroupKey(body.groupKey))?.parentRef);
  });

  it('does not serve it without a token', async () => {
    bot = await startBotServer({ config: testConfig(dir, { rules: [], evaluator: 'embedded', evaluationIntervalSeconds: 15, routes: [] }), log: silentLogger, workDir: dir, localUser: playgroundUser, fallbackToFreePort: false });
    // No adapter and no route: no HTTP server at all, so nothing answers for alerts.
    expect(bot.http).toBeUndefined();
    expect(bot.runtime.alertTriage).toBeUndefined();
  });
});
