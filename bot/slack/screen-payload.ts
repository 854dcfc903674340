import type { Logger } from '../../core/index.js';
import { blockActionsSchema, eventCallbackSchema, HANDLED_INTERACTIONS, slashCommandSchema, urlVerificationSchema } from './payload-schemas.js';

/** What to do with a decoded Slack payload: answer it here, or hand it to Bolt. */
export type PayloadVerdict = { kind: 'reply'; status: number; body?: unknown } | { kind: 'bolt'; body: Record<string, unknown> };

/**
 * Checks a payload (an HTTP body, or a Socket Mode envelope's payload) before Bolt
 * sees it: even a correctly signed request may be malformed, and Bolt would hand it to
 * listeners as is (or answer 500). Malformed → 400; what opsbot does not handle → 200.
 */
export function screenSlackPayload(payload: unknown, log: Logger): PayloadVerdict {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return malformed('the body is not a JSON object', log);
  const body = payload as Record<string, unknown>;
  if (body.ssl_check !== undefined) return { kind: 'reply', status: 200 };
  if (body.type === 'url_verification') {
    const verification = urlVerificationSchema.safeParse(body);
    return verification.success ? { kind: 'reply', status: 200, body: { challenge: verification.data.challenge } } : malformed('url_verification without a challenge', log);
  }
  if (body.type === 'app_rate_limited') {
    log.warn({ minute: body.minute_rate_limited }, 'Slack is dropping events: the app went over the Events API rate limit');
    return { kind: 'reply', status: 200 };
  }
  if (body.type === 'event_callback') {
    return eventCallbackSchema.safeParse(body).success ? { kind: 'bolt', body } : malformed('event_callback without a valid event', log);
  }
  if (body.command !== undefined) {
    return slashCommandSchema.safeParse(body).success ? { kind: 'bolt', body } : malformed('slash command without command, team, channel or user', log);
  }
  if (typeof body.type === 'string' && HANDLED_INTERACTIONS.has(body.type)) {
    return blockActionsSchema.safeParse(body).success ? { kind: 'bolt', body } : malformed('block_actions without a user or actions', log);
  }
  // Shortcuts, views, options requests…: opsbot declares none, so acknowledge and drop.
  log.info({ type: typeof body.type === 'string' ? body.type.slice(0, 40) : undefined }, 'ignored a Slack request opsbot does not handle');
  return { kind: 'reply', status: 200 };
}

function malformed(reason: string, log: Logger): PayloadVerdict {
  log.warn({ reason }, 'rejected a malformed Slack request');
  return { kind: 'reply', status: 400, body: { ok: false, error: 'malformed_request' } };
}
