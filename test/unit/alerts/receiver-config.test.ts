import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCallMention, routeFor } from '../../../alerts/index.js';
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
    writeFileSync(join(dir, 'opsbot.config.json'), JSON.stringify({ alerts: { evaluationIntervalSeconds: 60 } }));
    expect(() => loadConfig({}, dir)).toThrow(/at most 30 \(rates are taken over the last minute/);
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

  it('reads a Teams on-call next to the Slack one, refusing a name where the id goes and a bare string', () => {
    const onCallTeams = { id: '29:1oncall', name: 'ML on-call' };
    writeFileSync(join(dir, 'opsbot.config.json'), JSON.stringify({ alerts: { onCall: '<!subteam^S0123>', onCallTeams } }));
    expect(loadConfig({}, dir).config.alerts).toMatchObject({ onCall: '<!subteam^S0123>', onCallTeams });
    writeFileSync(join(dir, 'opsbot.config.json'), JSON.stringify({ alerts: { onCallTeams: { id: 'ML on-call', name: 'ML on-call' } } }));
    expect(() => loadConfig({}, dir)).toThrow(/alerts\.onCallTeams\.id: must be the on-call person’s Microsoft Entra object id \(a GUID/);
    writeFileSync(join(dir, 'opsbot.config.json'), JSON.stringify({ alerts: { onCallTeams: '@ml-oncall' } }));
    expect(() => loadConfig({}, dir)).toThrow(/alerts\.onCallTeams: must be \{"id": "<Entra object id or 29:… id>", "name": "<display name>"\}/);
    writeFileSync(join(dir, 'opsbot.config.json'), JSON.stringify({ alerts: { onCallTeams: { id: '00000000-0000-4000-8000-000000000000', name: '<b>' } } }));
    expect(() => loadConfig({}, dir)).toThrow(/alerts\.onCallTeams\.name: must not contain < or >/);
  });

  it('escalates to a Teams mention only in Teams threads; elsewhere, and in Teams without one, to alerts.onCall as written', () => {
    const onCallTeams = { id: '29:1oncall', name: 'ML on-call' };
    expect(onCallMention({ rules: [], evaluator: 'embedded', evaluationIntervalSeconds: 15, routes: [], onCall: '<!subteam^S0123>', onCallTeams }, 'teams')).toEqual({
      text: '<@29:1oncall>',
      mentions: [{ userId: '29:1oncall', displayName: 'ML on-call' }],
      label: '@ML on-call',
    });
    const slackOnly = { rules: [], evaluator: 'embedded' as const, evaluationIntervalSeconds: 15, routes: [], onCall: '@ml-oncall' };
    expect(onCallMention(slackOnly, 'teams')).toEqual({ text: '@ml-oncall', mentions: [], label: '@ml-oncall' });
    expect(onCallMention({ ...slackOnly, onCallTeams }, 'slack')).toEqual({ text: '@ml-oncall', mentions: [], label: '@ml-oncall' });
    expect(onCallMention({ ...slackOnly, onCall: undefined, onCallTeams }, 'slack')).toBeUndefined();
    expect(onCallMention(undefined, 'local')).toBeUndefined();
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
