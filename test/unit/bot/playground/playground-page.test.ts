import { playgroundPage } from '../../../../bot/playground/playground-page.js';
import { PLAYGROUND_SCRIPT } from '../../../../bot/playground/playground-script.js';
import { allowedHost, pageSecurityPolicy } from '../../../../bot/playground/playground-security.js';

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

describe('allowedHost (DNS-rebinding guard)', () => {
  const allowed = allowedHost('127.0.0.1');

  it('serves localhost, IP literals and the configured host', () => {
    for (const host of ['localhost:3000', 'LOCALHOST', 'app.localhost:3000', '127.0.0.1:3000', '[::1]:3000', '10.0.0.7']) {
      expect([host, allowed(host)]).toEqual([host, true]);
    }
    expect(allowedHost('devbox.internal')('devbox.internal:3000')).toBe(true);
  });

  it('refuses other names and a missing Host', () => {
    for (const host of ['evil.example:3000', 'localhost.evil.example', undefined]) expect([host, allowed(host)]).toEqual([host, false]);
  });
});
