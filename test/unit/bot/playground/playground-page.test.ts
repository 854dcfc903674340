import { playgroundPage } from '../../../../bot/playground/playground-page.js';
import { PLAYGROUND_SCRIPT } from '../../../../bot/playground/playground-script.js';
import { isLoopbackAddress, isLoopbackHostHeader, pageSecurityPolicy } from '../../../../bot/playground/playground-security.js';

describe('the playground page', () => {
  it('is self-contained: its one style and one script carry the nonce, nothing loads from elsewhere', () => {
    const page = playgroundPage({ nonce: 'abc123', userName: 'alice' });
    expect(page.match(/<style nonce="abc123">/g)).toHaveLength(1);
    expect(page.match(/<script nonce="abc123">/g)).toHaveLength(1);
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).not.toMatch(/ style="/);
    expect(pageSecurityPolicy('abc123')).toContain("script-src 'nonce-abc123'");
  });

  it('escapes the user name', () => {
    expect(playgroundPage({ nonce: 'n', userName: '<b>eve</b>' })).toContain('Signed in as <b>&lt;b&gt;eve&lt;/b&gt;</b>');
  });

  it('ships a script that parses', () => {
    expect(() => new Function(PLAYGROUND_SCRIPT)).not.toThrow();
  });
});

describe('isLoopbackHostHeader (DNS-rebinding guard)', () => {
  it('serves only names that always mean this machine', () => {
    for (const host of ['localhost:3000', 'LOCALHOST', 'app.localhost:3000', '127.0.0.1:3000', '[::1]:3000']) {
      expect([host, isLoopbackHostHeader(host)]).toEqual([host, true]);
    }
  });

  it('refuses other names, network IP literals and a missing Host', () => {
    for (const host of ['evil.example:3000', 'localhost.evil.example', '10.0.0.7', '192.168.1.20:3000', '[fe80::1]:3000', undefined]) {
      expect([host, isLoopbackHostHeader(host)]).toEqual([host, false]);
    }
  });
});

describe('isLoopbackAddress (the peer)', () => {
  it('knows loopback peers, also IPv4-mapped', () => {
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.9.9.9'].map(isLoopbackAddress)).toEqual([true, true, true, true]);
    expect(['10.0.0.7', '::ffff:192.168.1.2', 'fe80::1', undefined].map(isLoopbackAddress)).toEqual([false, false, false, false]);
  });
});
