import { randomBytes } from 'node:crypto';
import { ConfigError, type OpsbotConfig } from '../../core/index.js';

/** Who may use the playground, decided once at start-up. */
export interface PlaygroundAccess {
  /** Other machines may connect; then every request needs the token. */
  remote: boolean;
  /** Also accepted on loopback, so a local script can call the playground without an Origin. */
  token: string;
  /** A generated token is printed at start-up; a configured one never is. */
  tokenSource: 'generated' | 'config';
}

/** Interface addresses that only this machine can reach. */
export function isLoopbackBind(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/**
 * The playground runs commands as the local user (admin by default), so a non-loopback bind
 * must not expose it by accident: it needs OPSBOT_PLAYGROUND_REMOTE=true, which turns the token on.
 */
export function resolvePlaygroundAccess(config: OpsbotConfig): PlaygroundAccess {
  const { playground, http } = config;
  if (playground.enabled && !playground.remote && !isLoopbackBind(http.host)) {
    throw new ConfigError([
      `OPSBOT_HOST: the playground runs commands as the local user, so it is served on loopback only, and OPSBOT_HOST is ${http.host}. ` +
        'Set OPSBOT_PLAYGROUND=false (Slack and Teams keep working on this address), or OPSBOT_PLAYGROUND_REMOTE=true to serve it ' +
        'behind an access token (OPSBOT_PLAYGROUND_TOKEN, or one generated and printed at start-up), or bind to 127.0.0.1',
    ]);
  }
  return playground.token
    ? { remote: playground.remote, token: playground.token, tokenSource: 'config' }
    : { remote: playground.remote, token: randomBytes(24).toString('base64url'), tokenSource: 'generated' };
}
