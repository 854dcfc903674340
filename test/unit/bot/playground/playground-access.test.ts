import { isLoopbackBind, resolvePlaygroundAccess } from '../../../../bot/playground/index.js';
import { ConfigError, defaultConfig } from '../../../../core/index.js';

function configWith(host: string, playground: { remote?: boolean; token?: string; enabled?: boolean }) {
  const config = defaultConfig();
  config.http.host = host;
  config.playground = { ...config.playground, ...playground };
  return config;
}

describe('resolvePlaygroundAccess', () => {
  it('refuses a non-loopback bind with the playground on and remote access off', () => {
    expect(() => resolvePlaygroundAccess(configWith('0.0.0.0', {}))).toThrow(ConfigError);
    expect(() => resolvePlaygroundAccess(configWith('192.168.1.20', {}))).toThrow(/OPSBOT_PLAYGROUND_REMOTE=true/);
  });

  it('generates a fresh token unless one is configured', () => {
    const first = resolvePlaygroundAccess(configWith('0.0.0.0', { remote: true }));
    const second = resolvePlaygroundAccess(configWith('0.0.0.0', { remote: true }));
    expect(first).toMatchObject({ remote: true, tokenSource: 'generated' });
    expect(first.token.length).toBeGreaterThanOrEqual(32);
    expect(first.token).not.toBe(second.token);
    const token = 'x'.repeat(40);
    expect(resolvePlaygroundAccess(configWith('0.0.0.0', { remote: true, token }))).toEqual({ remote: true, token, tokenSource: 'config' });
    expect(resolvePlaygroundAccess(configWith('127.0.0.1', {}))).toMatchObject({ remote: false });
  });

  it('knows loopback binds', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].map(isLoopbackBind)).toEqual([true, true, true, true, true]);
    expect(['0.0.0.0', '::', '192.168.1.20', 'opsbot.example'].map(isLoopbackBind)).toEqual([false, false, false, false]);
  });
});
