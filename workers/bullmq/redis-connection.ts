import { Redis } from 'ioredis';

/**
 * A connection for BullMQ: workers block on Redis, so commands must wait for a
 * reconnect instead of failing after a few retries (maxRetriesPerRequest: null).
 */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}
