import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../core/index.js';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'opsbot-config-'));

function problemsOf(env: Record<string, string>, dir = emptyDir()): string[] {
  try {
    loadConfig(env, dir);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the embedded default with no settings at all', () => {
    const { config, warnings } = loadConfig({}, emptyDir());
    expect(config.redisUrl).toBeUndefined();
    expect(config.environments.map((e) => e.name)).toEqual(['dev', 'staging', 'prod']);
    expect(config.rbac.defaultRoles).toEqual(['admin']);
    expect(config.slack).toBeUndefined();
    expect(config.teams).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('reads environment variables over the file over the defaults', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'opsbot.config.json'), JSON.stringify({ limits: { maxReplicas: 10 }, jobs: { attempts: 5 } }));
    const { config, file } = loadConfig({ OPSBOT_JOB_ATTEMPTS: '2', REDIS_URL: 'redis://127.0.0.1:6379' }, dir);
    expect(file).toBe(join(dir, 'opsbot.config.json'));
    expect(config.limits.maxReplicas).toBe(10);
    expect(config.limits.maxEpochs).toBe(1000);
    expect(config.jobs.attempts).toBe(2);
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
  });

  it('names every wrong value at once, with how to fix it', () => {
    const problems = problemsOf({ OPSBOT_MAX_REPLICAS: 'many', REDIS_URL: 'not a url', OPSBOT_LOG_LEVEL: 'loud', OPSBOT_QUEUE_PREFIX: 'a b' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'OPSBOT_MAX_REPLICAS="many" is not valid: expected a whole number, 1 to 1000',
        expect.stringMatching(/^redisUrl \(REDIS_URL\): /),
        expect.stringMatching(/^logLevel \(OPSBOT_LOG_LEVEL\): /),
        expect.stringMatching(/^queuePrefix \(OPSBOT_QUEUE_PREFIX\): use letters, digits/),
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('rejects a config file that is not JSON, naming the file', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'opsbot.config.json'), '{ nope');
    expect(problemsOf({}, dir)[0]).toMatch(/opsbot\.config\.json: is not valid JSON/);
  });

  it('rejects an OPSBOT_CONFIG path that does not exist', () => {
    expect(problemsOf({ OPSBOT_CONFIG: 'missing.json' })[0]).toMatch(/^OPSBOT_CONFIG: no file at .*missing\.json/);
  });

  it('checks role maps and environment names against each other', () => {
    const dir = emptyDir();
    writeFileSync(
      join(dir, 'opsbot.config.json'),
      JSON.stringify({
        environments: [{ name: 'prod', aliases: ['live'] }, { name: 'live' }],
        rbac: { users: { 'local:bob': ['wizard'] } },
      }),
    );
    const problems = problemsOf({}, dir);
    expect(problems).toContain('environments: "live" is used by two environments; names and aliases must be unique');
    expect(problems).toContain('rbac.users["local:bob"]: unknown role "wizard"; defined roles are viewer, trainer, deployer, admin');
  });

  it('warns about unknown OPSBOT_ variables, suggesting the one meant', () => {
    const { warnings } = loadConfig({ OPSBOT_JOB_ATEMPTS: '3' }, emptyDir());
    expect(warnings).toEqual(['unknown environment variable OPSBOT_JOB_ATEMPTS is ignored — did you mean OPSBOT_JOB_ATTEMPTS?']);
  });

  it('refuses a Teams endpoint without an app id unless in loopback emulator mode', () => {
    expect(problemsOf({ MICROSOFT_APP_PASSWORD: 'secret' })[0]).toMatch(/^MICROSOFT_APP_ID: the Teams endpoint needs an app id/);
    expect(loadConfig({ OPSBOT_TEAMS_EMULATOR: 'true' }, emptyDir()).config.teams).toMatchObject({ appId: '', emulator: true });
    expect(problemsOf({ OPSBOT_TEAMS_EMULATOR: 'true', OPSBOT_HOST: '0.0.0.0' })[0]).toMatch(/only listens on loopback/);
  });

  it('reads the playground’s remote switch and token, refusing a short token', () => {
    const token = 'a'.repeat(32);
    expect(loadConfig({ OPSBOT_PLAYGROUND_REMOTE: 'true', OPSBOT_PLAYGROUND_TOKEN: token }, emptyDir()).config.playground).toEqual({ enabled: true, remote: true, token });
    expect(loadConfig({}, emptyDir()).config.playground).toEqual({ enabled: true, remote: false });
    expect(problemsOf({ OPSBOT_PLAYGROUND_TOKEN: 'short' })[0]).toMatch(/OPSBOT_PLAYGROUND_TOKEN must be at least 32 characters/);
  });

  it('needs a Slack signing secret for HTTP mode and a bot token always', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1' })[0]).toMatch(/^SLACK_SIGNING_SECRET: /);
    expect(problemsOf({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxp-user' })[0]).toMatch(/SLACK_BOT_TOKEN must be a bot token/);
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }, emptyDir()).config.slack).toMatchObject({ appToken: 'xapp-1' });
  });
});

describe('loadConfig: default roles on chat platforms', () => {
  const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };

  it('warns at start-up that Slack and Teams users are viewers while no RBAC map names them, and how to grant roles', () => {
    const { config, warnings } = loadConfig({ ...slack, MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'p' }, emptyDir());
    expect(config.rbac.chatDefaultRoles).toEqual(['viewer']);
    expect(config.rbac.defaultRoles).toEqual(['admin']);
    expect(warnings).toEqual([
      'Slack is configured but no RBAC map names a Slack user (rbac.users), so every Slack user has the default chat role viewer and may run only status, curve, audit and help. Grant roles in opsbot.config.json, e.g. {"rbac": {"users": {"slack:T0123ABCD:U0456EFGH": ["deployer"]}}} (a refused command tells the user their id), or change rbac.chatDefaultRoles.',
      expect.stringMatching(/^Teams is configured but no RBAC map names a Teams user \(rbac\.users\), so every Teams user has the default chat role viewer and may run only status, curve, audit and help\. Grant roles in opsbot\.config\.json, e\.g\. \{"rbac": \{"users": \{"teams:/),
    ]);
  });

  it('says so louder when the chat default is admin, and stays quiet once Slack users are mapped', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'opsbot.config.json'), JSON.stringify({ rbac: { chatDefaultRoles: ['admin'] } }));
    expect(loadConfig(slack, dir).warnings[0]).toMatch(/every Slack user has the default chat role admin and may run every command\./);
    writeFileSync(join(dir, 'opsbot.config.json'), JSON.stringify({ rbac: { users: { 'slack:T1:U1': ['deployer'] } } }));
    expect(loadConfig(slack, dir).warnings).toEqual([]);
    expect(loadConfig({}, emptyDir()).warnings).toEqual([]);
  });

  it('refuses an unknown chat default role', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'opsbot.config.json'), JSON.stringify({ rbac: { chatDefaultRoles: ['reader'] } }));
    expect(problemsOf({}, dir)).toEqual(['rbac.chatDefaultRoles: unknown role "reader"; defined roles are viewer, trainer, deployer, admin']);
  });
});
