import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { writeTeamsPackage } from '../../../../app/teams-package-cli.js';
import { decodePng } from '../../../helpers/png.js';

const APP_ID = '0a1b2c3d-1111-4222-8333-444455556666';

describe('writeTeamsPackage', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-teams-package-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function unpack(options: Partial<Parameters<typeof writeTeamsPackage>[0]> = {}) {
    const outFile = join(dir, 'out', 'opsbot-teams.zip');
    await writeTeamsPackage({ appId: APP_ID, outFile, ...options });
    return unzipSync(readFileSync(outFile));
  }

  it('zips manifest.json (schema v1.17) and both icons at the root', async () => {
    const files = await unpack({ validDomain: 'opsbot.example.com' });
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(Buffer.from(files['manifest.json'] as Uint8Array).toString('utf8'));
    expect(manifest).toMatchObject({
      $schema: 'https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json',
      manifestVersion: '1.17',
      version: '1.0.0',
      id: APP_ID,
      developer: { name: 'opsbot', websiteUrl: 'https://opsbot.example.com/', privacyUrl: 'https://opsbot.example.com/privacy', termsOfUseUrl: 'https://opsbot.example.com/terms' },
      name: { short: 'opsbot' },
      icons: { color: 'color.png', outline: 'outline.png' },
      accentColor: expect.stringMatching(/^#[0-9A-F]{6}$/i),
      validDomains: ['opsbot.example.com'],
    });
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    const [bot] = manifest.bots;
    expect(bot).toMatchObject({ botId: APP_ID, scopes: ['personal', 'team', 'groupChat'], isNotificationOnly: false });
    const [list] = bot.commandLists;
    expect(list.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(list.commands.map((command: { title: string }) => command.title)).toEqual(['help', 'train', 'evaluate', 'deploy', 'rollback', 'scale', 'status', 'cancel', 'audit']);
    for (const command of list.commands as Array<{ title: string; description: string }>) {
      expect(command.title.length).toBeLessThanOrEqual(32);
      expect(command.description.length).toBeGreaterThan(0);
      expect(command.description.length).toBeLessThanOrEqual(128);
    }
  });

  it('draws a 192×192 colour icon and a 32×32 white-on-transparent outline icon', async () => {
    const files = await unpack();
    const color = decodePng(files['color.png'] as Uint8Array);
    expect(color).toMatchObject({ width: 192, height: 192, channels: 4 });
    const outline = decodePng(files['outline.png'] as Uint8Array);
    expect(outline).toMatchObject({ width: 32, height: 32, channels: 4 });
    // Outline: white where drawn, transparent elsewhere (corners included).
    let drawn = 0;
    let notWhite = 0;
    for (let i = 0; i < outline.pixels.length; i += 4) {
      if (outline.pixels[i + 3] === 0) continue;
      drawn += 1;
      if (outline.pixels[i] !== 255 || outline.pixels[i + 1] !== 255 || outline.pixels[i + 2] !== 255) notWhite += 1;
    }
    expect({ drawn: drawn > 50, notWhite, corner: outline.pixels[3] }).toEqual({ drawn: true, notWhite: 0, corner: 0 });
    // Colour icon: opaque everywhere.
    let translucent = 0;
    for (let i = 3; i < color.pixels.length; i += 4) if (color.pixels[i] !== 255) translucent += 1;
    expect(translucent).toBe(0);
  });

  it('defaults the name, leaves validDomains empty and is reproducible', async () => {
    const first = await unpack({ name: 'ML Ops' });
    const manifest = JSON.parse(Buffer.from(first['manifest.json'] as Uint8Array).toString('utf8'));
    expect(manifest.name.short).toBe('ML Ops');
    expect(manifest.validDomains).toEqual([]);
    const zipOf = async (file: string) => {
      await writeTeamsPackage({ appId: APP_ID, outFile: join(dir, file), name: 'ML Ops' });
      return readFileSync(join(dir, file));
    };
    expect((await zipOf('a.zip')).equals(await zipOf('b.zip'))).toBe(true);
  });

  it.each([
    ['an app id that is not a GUID', { appId: 'opsbot' }, /appId must be the bot’s Microsoft App ID/],
    ['a name over 30 characters', { name: 'x'.repeat(31) }, /at most 30 characters/],
    ['a domain with a scheme', { validDomain: 'https://opsbot.example.com' }, /without https:\/\//],
  ])('refuses %s', async (_name, options, message) => {
    await expect(unpack(options)).rejects.toThrow(message);
  });
});
