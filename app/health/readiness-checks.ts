import type { Redis } from 'ioredis';
import type { ChatAdapter } from '../../bot/index.js';
import type { StateStore } from '../../core/index.js';
import type { ReadinessCheck } from './readiness-check.js';

/** What the bot needs to answer commands: its database, Redis when jobs go through BullMQ, and each platform that can tell. */
export function readinessChecks(deps: { store: StateStore; redis?: Redis; adapters: readonly ChatAdapter[] }): ReadinessCheck[] {
  const checks: ReadinessCheck[] = [{ name: 'database', probe: () => deps.store.ping() }];
  const { redis } = deps;
  if (redis) checks.push({ name: 'redis', probe: () => pingRedis(redis) });
  for (const adapter of deps.adapters) {
    const { readiness } = adapter;
    if (readiness) checks.push({ name: adapter.platform, probe: () => readiness.call(adapter) });
  }
  return checks;
}

async function pingRedis(redis: Redis): Promise<void> {
  // While reconnecting, ioredis would queue the PING until the connection is back.
  if (redis.status !== 'ready') throw new Error(`not connected (${redis.status})`);
  await redis.ping();
}
