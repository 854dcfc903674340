import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../core/index.js';
import { alertmanagerWebhookSchema } from './alertmanager-payload.js';
import type { AlertTriage } from './alert-triage.js';

export const ALERTMANAGER_PATH = '/alerts/alertmanager';

/** Alertmanager caps nothing itself; a group of thousands of alerts is still well under this. */
const BODY_LIMIT = '2mb';

/** Compares digests, so neither the token's length nor its content leaks through timing. */
function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(token)) && presented.length > 0;
}

function fail(res: Response, status: number, error: string, detail?: unknown): void {
  res.status(status).json(detail === undefined ? { error } : { error, detail });
}

/**
 * POST /alerts/alertmanager: Alertmanager's webhook (version 4), with `Authorization: Bearer <token>`
 * (its `http_config.authorization.credentials`). 401 for a wrong token, 400 for a body that is not the
 * webhook, 413 for one too large; a failure after that is 500, so Alertmanager retries it.
 */
export function mountAlertmanagerReceiver(app: Express, options: { token: string; triage: AlertTriage; log: Logger }): void {
  const { token, triage, log } = options;
  const authenticate = (req: Request, res: Response, next: NextFunction) => {
    if (tokenMatches(req.headers.authorization, token)) return next();
    res.setHeader('WWW-Authenticate', 'Bearer realm="opsbot alerts"');
    fail(res, 401, 'missing or wrong bearer token');
  };
  app.post(ALERTMANAGER_PATH, authenticate, express.json({ limit: BODY_LIMIT, type: () => true }), (req: Request, res: Response) => {
    const parsed = alertmanagerWebhookSchema.safeParse(req.body);
    if (!parsed.success) {
      fail(res, 400, 'not an Alertmanager webhook (version 4) body', parsed.error.issues.slice(0, 10).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`));
      return;
    }
    triage.receive(parsed.data).then(
      (result) => res.status(200).json(result),
      (error: unknown) => {
        log.error({ err: error, groupKey: parsed.data.groupKey }, 'could not post an alert group');
        fail(res, 500, 'opsbot could not post this alert group; Alertmanager will retry');
      },
    );
  });
  // body-parser's errors (malformed JSON, too large) arrive here: answered as the client's fault, never 5xx.
  app.use(ALERTMANAGER_PATH, (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const status = (error as { status?: number; type?: string }).status;
    if (status === 413) return fail(res, 413, `body larger than ${BODY_LIMIT}`);
    if (status && status >= 400 && status < 500) return fail(res, 400, 'body is not valid JSON');
    next(error);
  });
}
