import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

/** HttpOnly and SameSite=Strict: page scripts cannot read it and other sites' requests never carry it. */
export const TOKEN_COOKIE = 'opsbot_playground';

/** How the request proved it holds the token, if it did. */
export type TokenCheck = 'none' | 'wrong' | 'bearer' | 'cookie' | 'query';

/** Hashing first gives both sides one length, so the comparison takes the same time for any guess. */
export function sameToken(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** The first token the request presents (header, then query, then cookie), checked against the expected one. */
export function checkToken(req: Request, expected: string): TokenCheck {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const query = typeof req.query.token === 'string' ? req.query.token : undefined;
  const cookie = cookieValue(req.headers.cookie, TOKEN_COOKIE);
  const [via, presented] = bearer !== undefined ? ['bearer', bearer] as const : query !== undefined ? ['query', query] as const : ['cookie', cookie] as const;
  if (presented === undefined) return 'none';
  return sameToken(presented, expected) ? via : 'wrong';
}

export function tokenCookie(token: string, secure: boolean): string {
  return `${TOKEN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
