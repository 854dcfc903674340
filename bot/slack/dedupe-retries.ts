import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../../core/index.js';
import type { RecentIds } from './recent-ids.js';

/**
 * Bolt global middleware that drops a redelivered event (Slack retries with the same
 * event_id when an answer was late or lost), so an action never runs twice. Events are
 * acknowledged before middleware runs, so the retry still gets its 200.
 */
export function dedupeRetries(seen: RecentIds, log: Logger): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !seen.add(eventId)) {
      log.info({ eventId, retryNum: context.retryNum, retryReason: context.retryReason }, 'ignored a Slack retry of an event already handled');
      return;
    }
    await next();
  };
}
