import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { refuse } from './json-request.js';
import { isLoopbackBind, type PlaygroundAccess } from './playground-access.js';
import { checkToken } from './playground-token.js';

/** A fresh nonce per page load: the page's one <style> and one <script> are all that may run. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function pageSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers for every playground response; the page replaces the CSP with its nonce policy. */
export function securityHeaders(res: Response): void {
  res.set({
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
}

function hostnameOf(hostHeader: string): string {
  // Only `[addr]` or `[addr]:port`: anything after the bracket makes it no loopback name.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hostHeader);
  if (hostHeader.startsWith('[') && !bracketed) return hostHeader.toLowerCase();
  return (bracketed ? bracketed[1]! : hostHeader.replace(/:\d+$/, '')).toLowerCase();
}

/**
 * Binding to loopback is not enough against DNS rebinding (evil.example resolving to 127.0.0.1),
 * so without the token only names that always mean this machine are served.
 */
export function isLoopbackHostHeader(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const name = hostnameOf(hostHeader);
  return name === 'localhost' || name.endsWith('.localhost') || isLoopbackBind(name);
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (how a dual-stack socket reports 127.0.0.1). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const ip = address.toLowerCase().replace(/^::ffff:/, '');
  return ip === '::1' || (isIP(ip) === 4 && ip.startsWith('127.'));
}

export interface PlaygroundGuardOptions {
  access: PlaygroundAccess;
  /** The peer's address as the guard sees it; tests stand in for a remote machine here. */
  peerAddress?: (req: Request) => string | undefined;
}

const TOKEN_HELP = 'open the playground URL printed at start-up (it ends in ?token=…), or send Authorization: Bearer <token>';

/**
 * Guards every playground route: the playground runs commands as the local user, so a request
 * either carries the access token or is plainly this machine's own browser: a loopback peer,
 * not relayed by a proxy, with a loopback Host, and for state-changing requests the page's own
 * Origin (browsers always send one; a cross-site page or a script does not send ours).
 */
export function playgroundGuard(options: PlaygroundGuardOptions): RequestHandler {
  const { access } = options;
  const peerAddress = options.peerAddress ?? ((req: Request) => req.socket.remoteAddress);
  return (req: Request, res: Response, next: NextFunction) => {
    securityHeaders(res);
    const token = checkToken(req, access.token);
    const changesState = req.method !== 'GET' && req.method !== 'HEAD';
    if (token === 'bearer' || token === 'query') return next();
    if (token === 'cookie') {
      // The cookie is SameSite=Strict; a foreign Origin on a write still means someone else's page.
      if (changesState && !sameOrigin(req.headers.origin, req.headers.host)) return refuse(res, 403, 'Cross-origin requests are not allowed.');
      return next();
    }
    if (token === 'wrong' && (req.headers.authorization !== undefined || req.query.token !== undefined)) {
      return refuse(res, 401, `That playground access token is not right; ${TOKEN_HELP}.`);
    }
    if (access.remote) return refuse(res, 401, `This playground needs its access token: ${TOKEN_HELP}.`);
    if (!isLoopbackAddress(peerAddress(req)) || req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined) {
      return refuse(res, 403, `The playground answers only this machine (loopback); from elsewhere, set OPSBOT_PLAYGROUND_REMOTE=true and ${TOKEN_HELP}.`);
    }
    if (!isLoopbackHostHeader(req.headers.host)) {
      return refuse(res, 403, `This host name is not allowed; open the playground on localhost or 127.0.0.1, or ${TOKEN_HELP}.`);
    }
    if (changesState && !sameOrigin(req.headers.origin, req.headers.host)) {
      return refuse(res, 403, 'Only the playground page itself may send commands (the request has no matching Origin); scripts send Authorization: Bearer <token>.');
    }
    next();
  };
}

function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined || host === undefined) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
