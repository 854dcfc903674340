import { ServiceUnavailableError } from '../../core/index.js';

// What opsbot says while Redis cannot be reached: apart from redis-connection.ts, so saying it loads no Redis client.

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE']);

/** Errors that only say Redis is not reachable: the main connection reports those, once per attempt. */
export function isRedisConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && CONNECTION_ERRORS.has(code)) || /Connection is closed|connect ETIMEDOUT|Stream isn't writeable/.test(error.message);
}

/** The URL as it may be shown: host, port and database, never the password. */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/** What a user sees while Redis is away, in chat and on the terminal. */
export function redisUnavailableError(url: string): ServiceUnavailableError {
  return new ServiceUnavailableError(
    `Redis at ${redactRedisUrl(url)} cannot be reached, so the job queue is unavailable; opsbot keeps trying to connect — try again once Redis is back (check REDIS_URL and that Redis is running)`,
  );
}
