import { Redis, type RedisOptions } from 'ioredis';
import { silentLogger, type Logger } from '../../core/index.js';
import { isRedisConnectionError, redactRedisUrl } from './redis-unreachable.js';

/** Waits between reconnection attempts: 0.5 s, doubling to at most 30 s. */
export const redisRetryDelayMs = (attempt: number): number => Math.min(500 * 2 ** (attempt - 1), 30_000);

/**
 * Whether the connection can take commands now. One still making its first attempt
 * is given until it succeeds or fails (at most `waitMs`), so a command typed just as
 * the bot starts is not refused while Redis is answering.
 */
export async function isRedisReady(redis: Redis, waitMs = 3000): Promise<boolean> {
  if (['wait', 'connecting', 'connect'].includes(redis.status)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        redis.off('ready', done);
        redis.off('error', done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      redis.once('ready', done);
      redis.once('error', done);
    });
  }
  return redis.status === 'ready';
}

const reason = (error: Error) => (error as { code?: unknown }).code ?? error.message;

/**
 * A connection for BullMQ: workers block on Redis, so commands must wait for a
 * reconnect instead of failing after a few retries (maxRetriesPerRequest: null).
 * While Redis cannot be reached, this connection logs one line per attempt (attempts
 * back off up to 30 s) and says it is back when it is; its duplicates — BullMQ's
 * blocking and subscriber connections, and theirs — retry alike but quietly, so one
 * outage is not reported once per queue with a stack trace each. Disconnecting it
 * disconnects every duplicate still open: BullMQ cannot close those while Redis is away.
 */
export function connectRedis(url: string, log: Logger = silentLogger): Redis {
  const address = redactRedisUrl(url);
  let lastError = 'not connected yet';
  let failing = false;
  const options: RedisOptions = {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    lazyConnect: false,
    retryStrategy: (attempt) => {
      const delay = redisRetryDelayMs(attempt);
      failing = true;
      log.warn({ redis: address, attempt, retryInMs: delay }, `Redis at ${address} cannot be reached (${lastError}); retrying in ${(delay / 1000).toFixed(1)} s`);
      return delay;
    },
  };
  const redis = new Redis(url, options);
  redis.on('error', (error: Error) => {
    lastError = String(reason(error));
    if (!isRedisConnectionError(error)) log.error({ err: error, redis: address }, 'Redis error');
  });
  redis.on('ready', () => {
    if (failing) log.info({ redis: address }, `Redis at ${address} is reachable again`);
    failing = false;
  });
  const copies = new Set<Redis>();
  const quietDuplicates = (client: Redis) => {
    const duplicate = client.duplicate.bind(client);
    client.duplicate = (override?: Partial<RedisOptions>) => {
      const copy = duplicate({ retryStrategy: redisRetryDelayMs, ...override });
      // Without a listener ioredis prints every failed attempt as "Unhandled error event".
      copy.on('error', (error: Error) => {
        if (!isRedisConnectionError(error)) log.error({ err: error, redis: address }, 'Redis error');
      });
      copies.add(copy);
      copy.once('end', () => copies.delete(copy));
      quietDuplicates(copy);
      return copy;
    };
  };
  quietDuplicates(redis);
  const disconnect = redis.disconnect.bind(redis);
  redis.disconnect = (reconnect?: boolean) => {
    if (!reconnect) for (const copy of copies) copy.disconnect();
    disconnect(reconnect);
  };
  return redis;
}
