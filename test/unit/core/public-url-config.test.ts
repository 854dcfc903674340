import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../core/index.js';

const load = (publicUrl: string) => loadConfig({ OPSBOT_PUBLIC_URL: publicUrl }, mkdtempSync(join(tmpdir(), 'opsbot-config-')));

function problemsOf(publicUrl: string): string[] {
  try {
    load(publicUrl);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('OPSBOT_PUBLIC_URL', () => {
  it('is unset by default', () => {
    expect(loadConfig({}, mkdtempSync(join(tmpdir(), 'opsbot-config-'))).config.http.publicUrl).toBeUndefined();
  });

  it.each(['https://opsbot.example.com', 'https://example.com/opsbot/', 'http://localhost:3978', 'http://127.0.0.1:3000', 'http://[::1]:3000'])('accepts %s', (url) => {
    expect(load(url).config.http.publicUrl).toBe(url);
  });

  it.each(['http://opsbot.example.com', 'ftp://opsbot.example.com', 'opsbot.example.com', 'https://', 'https://opsbot.example.com/?x=1', 'https://opsbot.example.com/#top'])(
    'refuses %s once, saying what it must be',
    (url) => {
      expect(problemsOf(url)).toEqual([expect.stringMatching(/^http\.publicUrl \(OPSBOT_PUBLIC_URL\): must be the https:\/\/ address .*\(http:\/\/ only for localhost\)/)]);
    },
  );
});
