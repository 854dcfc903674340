import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

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
  const bracketed = /^\[([^\]]+)\]/.exec(hostHeader);
  return (bracketed ? bracketed[1]! : hostHeader.replace(/:\d+$/, '')).toLowerCase();
}

/**
 * The playground can deploy to prod, so a web page the user happens to visit must not drive
 * it. Binding to loopback is not enough against DNS rebinding (evil.example resolving to
 * 127.0.0.1), so only names that cannot be rebound are served: localhost, IP literals, the
 * configured host and this machine's name (the same rule as webpack-dev-server's 'auto').
 */
export function allowedHost(configuredHost: string): (hostHeader: string | undefined) => boolean {
  const names = new Set(['localhost', configuredHost.toLowerCase(), hostname().toLowerCase()]);
  return (hostHeader) => {
    if (!hostHeader) return false;
    const name = hostnameOf(hostHeader);
    return names.has(name) || name.endsWith('.localhost') || isIP(name) !== 0;
  };
}

/**
 * Guards every playground route. State-changing requests must also come from the page
 * itself: a cross-site form or fetch carries its own Origin, which must match the host.
 */
export function playgroundGuard(configuredHost: string): RequestHandler {
  const isAllowed = allowedHost(configuredHost);
  return (req: Request, res: Response, next: NextFunction) => {
    securityHeaders(res);
    if (!isAllowed(req.headers.host)) {
      res.status(403).json({ error: 'This host name is not allowed; open the playground on localhost or an IP address.' });
      return;
    }
    const origin = req.headers.origin;
    if (req.method !== 'GET' && req.method !== 'HEAD' && origin !== undefined && !sameOrigin(origin, req.headers.host)) {
      res.status(403).json({ error: 'Cross-origin requests are not allowed.' });
      return;
    }
    next();
  };
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return new URL(origin).host === host?.toLowerCase();
  } catch {
    return false;
  }
}
