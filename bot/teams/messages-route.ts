import type { Activity, TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult, BotFrameworkAuthentication } from 'botframework-connector';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Logger } from '../../core/index.js';
import { incomingActivitySchema } from './activity.schema.js';
import type { OpsbotCloudAdapter } from './opsbot-cloud-adapter.js';

export const TEAMS_MESSAGES_PATH = '/api/messages';

export interface MessagesRouteDeps {
  auth: BotFrameworkAuthentication;
  adapter: OpsbotCloudAdapter;
  /** True whenever an app id is configured; false only in emulator mode. */
  authRequired: boolean;
  onTurn: (context: TurnContext) => Promise<void>;
  log: Logger;
}

/** Bot Framework activities are small; anything near this is not one. */
const BODY_LIMIT = '512kb';

/**
 * POST /api/messages: authenticate, then validate, then run the bot. Every authentication
 * failure is a 401 and the bot never sees the activity.
 */
export function messagesRoute(deps: MessagesRouteDeps): Array<RequestHandler | ErrorRequestHandler> {
  const { log } = deps;
  const unauthorized = (res: express.Response, reason: string) => {
    log.warn({ reason }, 'rejected a Teams request that failed authentication');
    res.status(401).json({ error: 'unauthorized' });
  };

  // Refused before the body is even read when no token is offered.
  const requireBearer: RequestHandler = (req, res, next) => {
    if (deps.authRequired && !/^Bearer \S+$/.test(req.get('authorization') ?? '')) return unauthorized(res, 'no bearer token');
    next();
  };

  const handle: RequestHandler = async (req, res) => {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      res.status(400).json({ error: 'expected a JSON activity' });
      return;
    }
    const activity = body as Activity;
    let authentication: AuthenticateRequestResult;
    try {
      authentication = await deps.auth.authenticateRequest(activity, req.get('authorization') ?? '');
    } catch (error) {
      return unauthorized(res, error instanceof Error ? error.message : String(error));
    }
    if (deps.authRequired && !authentication.claimsIdentity.isAuthenticated) return unauthorized(res, 'identity not authenticated');

    const parsed = incomingActivitySchema.safeParse(activity);
    if (!parsed.success) {
      log.warn({ issues: parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`) }, 'rejected a malformed Teams activity');
      res.status(400).json({ error: 'malformed activity' });
      return;
    }
    try {
      const invoke = await deps.adapter.runAuthenticated(authentication, withDates(activity), deps.onTurn);
      if (!invoke) {
        res.status(200).end();
      } else if (invoke.body === undefined) {
        res.status(invoke.status).end();
      } else {
        res.status(invoke.status).json(invoke.body);
      }
    } catch (error) {
      log.error({ err: error, type: parsed.data.type }, 'the Teams turn failed');
      res.status(500).json({ error: 'internal error' });
    }
  };

  const badBody: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'rejected an unreadable Teams request body');
    res.status(400).json({ error: 'unreadable request body' });
  };

  return [requireBearer, express.json({ limit: BODY_LIMIT }), handle, badBody];
}

/** What CloudAdapter.process does before a turn: JSON timestamps become Dates, the raw strings are kept. */
function withDates(activity: Activity): Activity {
  const fields = [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
    ['expiration', 'rawExpiration'],
  ] as const;
  const fixed: Record<string, unknown> = { ...activity };
  for (const [field, raw] of fields) {
    const value = fixed[field];
    if (typeof value === 'string') {
      fixed[raw] = value;
      fixed[field] = new Date(value);
    }
  }
  return fixed as unknown as Activity;
}
