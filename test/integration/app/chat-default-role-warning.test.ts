import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/run-cli.js';
import { SlackApiFake } from '../../helpers/slack-api-fake.js';

describe('opsbot start with Slack and no RBAC map', () => {
  let dir: string;
  let api: SlackApiFake;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-rbac-warning-'));
    api = await SlackApiFake.start();
  });
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('warns that Slack users are viewers and names the config that grants roles; the local user stays admin', async () => {
    const result = await runCli(['start', '--user', 'carol'], {
      cwd: dir,
      env: { SLACK_BOT_TOKEN: api.token, SLACK_SIGNING_SECRET: 'test-secret', SLACK_API_URL: api.url },
      input: 'train sentiment --dataset missing.csv\n',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /warning: Slack is configured but no RBAC map names a Slack user \(rbac\.users\), so every Slack user has the default chat role viewer .*rbac\.chatDefaultRoles/,
    );
    // The local user's train gets past RBAC: it is refused for its dataset, not for its role.
    expect(result.stdout).toMatch(/❌ dataset missing\.csv not found/);
    expect(result.stdout).not.toMatch(/not allowed/);
  }, 60_000);
});
