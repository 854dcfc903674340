import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../core/index.js';

/** Slack redelivers an event for about an hour at most. */
const MIN_TTL_MS = 3_600_000;
/** Bounded, so a flood of distinct events cannot grow memory without end. */
const MAX_EVENT_IDS = 50_000;

/**
 * Bolt global middleware that drops a redelivered event (Slack retries with the same
 * event_id when an answer was late or lost), so an action never runs twice. Events are
 * acknowledged before middleware runs, so the retry still gets its 200.
 */
export function dedupeRetries(log: Logger, ttlMs = MIN_TTL_MS): Middleware<AnyMiddlewareArgs> {
  const seen = new LRUCache<string, true>({ max: MAX_EVENT_IDS, ttl: Math.max(ttlMs, MIN_TTL_MS) });
  return async ({ body, context, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string') {
      if (seen.has(eventId)) {
        log.info({ eventId, retryNum: context.retryNum, retryReason: context.retryReason }, 'ignored a Slack retry of an event already handled');
        return;
      }
      seen.set(eventId, true);
    }
    await next();
  };
}
