import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routeFor } from '../../../alerts/index.js';
import { ConfigError, loadConfig, type AlertRoute } from '../../../core/index.js';

describe('alerts receiver config', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-alert-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the token and Alertmanager URL from the environment, next to the rules', () => {
    const token = 'x'.repeat(32);
    const { config } = loadConfig({ OPSBOT_ALERTMANAGER_TOKEN: token, OPSBOT_ALERTMANAGER_URL: 'http://127.0.0.1:9093' }, dir);
    expect(config.alerts).toEqual({ rules: [], evaluator: 'embedded', evaluationIntervalSeconds: 15, receiverToken: token, alertmanagerUrl: 'http://127.0.0.1:9093', routes: [] });
  });

  it('reads who evaluates the rules, refusing anything but embedded or prometheus', () => {
    expect(loadConfig({ OPSBOT_ALERT_EVALUATOR: 'prometheus' }, dir).config.alerts?.evaluator).toBe('prometheus');
    expect(() => loadConfig({ OPSBOT_ALERT_EVALUATOR: 'grafana' }, dir)).toThrow(/alerts\.evaluator must be "embedded" or "prometheus"/);
    writeFileSync(join(dir, 'opsbot.config.json'), JSON.stringify({ alerts: { evaluationIntervalSeconds: 0 } }));
    expect(() => loadConfig({}, dir)).toThrow(/alerts\.evaluationIntervalSeconds/);
  });

  it('refuses a short token, naming the variable', () => {
    expect(() => loadConfig({ OPSBOT_ALERTMANAGER_TOKEN: 'short' }, dir)).toThrow(ConfigError);
    expect(() => loadConfig({ OPSBOT_ALERTMANAGER_TOKEN: 'short' }, dir)).toThrow(/OPSBOT_ALERTMANAGER_TOKEN must be at least 32 characters/);
  });

  it('refuses a route without a channel and an unknown key', () => {
    writeFileSync(join(dir, 'opsbot.config.json'), JSON.stringify({ alerts: { routes: [{ match: { env: 'prod' }, conversation: { platform: 'slack' } }] } }));
    expect(() => loadConfig({}, dir)).toThrow(/alerts\.routes\.0\.conversation\.channelId/);
    writeFileSync(join(dir, 'opsbot.config.json'), JSON.stringify({ alerts: { route: [] } }));
    expect(() => loadConfig({}, dir)).toThrow(/route/);
  });

  it('routes to the first route whose labels all match, a route without match being the default', () => {
    const routes: AlertRoute[] = [
      { match: { severity: 'critical', env: 'prod' }, conversation: { platform: 'slack', workspace: 'T1', channelId: 'CONCALL' } },
      { match: { env: 'prod' }, conversation: { platform: 'slack', workspace: 'T1', channelId: 'CPROD' } },
      { match: {}, conversation: { platform: 'teams', workspace: 'tenant', channelId: 'general' } },
    ];
    const at = (commonLabels: Record<string, string>, groupLabels: Record<string, string> = {}) => routeFor(routes, { commonLabels, groupLabels })?.channelId;
    expect(at({ severity: 'critical', env: 'prod' })).toBe('CONCALL');
    expect(at({ severity: 'warning', env: 'prod' })).toBe('CPROD');
    expect(at({ severity: 'critical' }, { env: 'prod' })).toBe('CONCALL');
    expect(at({ severity: 'critical', env: 'staging' })).toBe('general');
    expect(routeFor(routes.slice(0, 2), { commonLabels: {}, groupLabels: {} })).toBeUndefined();
  });
});
