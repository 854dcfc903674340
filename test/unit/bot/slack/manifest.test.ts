import { readFileSync } from 'node:fs';
import { SLACK_SCOPES } from '../../../../bot/slack/index.js';

const manifest = JSON.parse(readFileSync(new URL('../../../../manifest.json', import.meta.url), 'utf8')) as Record<string, any>;
const REQUEST_URL = 'https://opsbot.example.com/slack/events';

describe('manifest.json (the Slack app manifest)', () => {
  it('has the sections Slack requires, with a name and a bot user', () => {
    expect(manifest._metadata).toEqual({ major_version: 1, minor_version: 1 });
    expect(manifest.display_information.name).toBe('opsbot');
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.display_information.long_description.length).toBeGreaterThanOrEqual(175);
    expect(manifest.display_information.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.features.bot_user.display_name).toBe('opsbot');
  });

  it('declares /opsbot with a usage hint, on the one Request URL', () => {
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({ command: '/opsbot', url: REQUEST_URL, usage_hint: expect.any(String), description: expect.any(String) }),
    ]);
  });

  it('subscribes to app_mention, channel messages (for replies in its threads) and message.im, and enables interactivity, on the same URL', () => {
    expect(manifest.settings.event_subscriptions).toEqual({ request_url: REQUEST_URL, bot_events: ['app_mention', 'message.channels', 'message.groups', 'message.im'] });
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: REQUEST_URL });
    expect(manifest.settings).toMatchObject({ org_deploy_enabled: false, socket_mode_enabled: false, token_rotation_enabled: false });
  });

  it('requests every scope the code uses, and no other', () => {
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    expect([...scopes].sort()).toEqual(Object.keys(SLACK_SCOPES).sort());
    expect(scopes).toEqual(expect.arrayContaining(['app_mentions:read', 'chat:write', 'commands', 'files:write', 'im:history', 'im:read', 'im:write', 'users:read']));
  });

  it('lets people DM the bot (the messages tab)', () => {
    expect(manifest.features.app_home).toMatchObject({ messages_tab_enabled: true, messages_tab_read_only_enabled: false });
  });
});
