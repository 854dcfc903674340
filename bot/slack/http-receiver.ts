import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../../core/index.js';
import { parseRequestBody } from './parse-request-body.js';
import { blockActionsSchema, eventCallbackSchema, HANDLED_INTERACTIONS, slashCommandSchema, urlVerificationSchema } from './payload-schemas.js';
import { verifySlackSignature } from './verify-signature.js';

export interface SlackHttpReceiverOptions {
  signingSecret: string;
  log: Logger;
  /** The one Request URL for events, slash commands and interactivity (as the manifest declares). */
  path?: string;
  /** Slack gives up on a request after 3 s; anything not acknowledged by then gets a bare 200. */
  ackDeadlineMs?: number;
  /** Block action payloads carry the whole clicked message, so allow more than a small form. */
  maxBodyBytes?: number;
}

type Verdict =
  | { kind: 'reply'; status: number; body?: unknown }
  | { kind: 'bolt'; body: Record<string, unknown> };

/**
 * Bolt's Receiver for HTTP mode, mounted on opsbot's shared express server instead of
 * starting a server of its own. Unlike Bolt's receivers it answers malformed requests with
 * 400 (or 200) rather than 500, and never hands Bolt a payload it has not checked.
 */
export class SlackHttpReceiver implements Receiver {
  private bolt?: App;
  readonly path: string;
  private readonly ackDeadlineMs: number;
  private readonly maxBodyBytes: number;

  constructor(private readonly options: SlackHttpReceiverOptions) {
    this.path = options.path ?? '/slack/events';
    this.ackDeadlineMs = options.ackDeadlineMs ?? 2500;
    this.maxBodyBytes = options.maxBodyBytes ?? 2 * 1024 * 1024;
  }

  init(app: App): void {
    this.bolt = app;
  }

  /** The express server is opsbot's, so there is nothing to start or stop here. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  mount(app: Express): void {
    app.post(this.path, express.raw({ type: () => true, limit: this.maxBodyBytes }), (req, res) => this.handle(req, res));
    // Body read failures (too large, aborted, bad encoding) are the client's problem: 4xx, never 500.
    app.use(this.path, (error: unknown, _req: Request, res: Response, next: NextFunction) => {
      if (res.headersSent) return next(error);
      const status = httpStatusOf(error);
      this.options.log.warn({ status, reason: error instanceof Error ? error.message : String(error) }, 'rejected a Slack request body');
      res.status(status >= 400 && status < 500 ? status : 400).end();
    });
  }

  private async handle(req: Request, res: Response): Promise<void> {
    const { log } = this.options;
    const verdict = this.check(req);
    if (verdict.kind === 'reply') {
      send(res, verdict.status, verdict.body);
      return;
    }
    let acked = false;
    const ack = async (response?: unknown): Promise<void> => {
      if (acked) return;
      acked = true;
      send(res, 200, response);
    };
    // Listeners acknowledge first; this only covers a request no listener took in time.
    const deadline = setTimeout(() => {
      if (!acked) log.warn({ path: this.path }, 'a Slack request was not acknowledged in time; answered 200');
      void ack();
    }, this.ackDeadlineMs);
    const event: ReceiverEvent = {
      body: verdict.body,
      ack,
      retryNum: headerNumber(req.header('x-slack-retry-num')),
      retryReason: req.header('x-slack-retry-reason'),
    };
    try {
      if (!this.bolt) throw new Error('the Slack receiver was mounted before Bolt initialised it');
      await this.bolt.processEvent(event);
    } catch (error) {
      log.error({ err: error }, 'processing a Slack request failed');
    } finally {
      clearTimeout(deadline);
      // Unhandled (no listener matched) or failed: Slack still gets its 200, so it does not retry.
      await ack();
    }
  }

  private check(req: Request): Verdict {
    const { log, signingSecret } = this.options;
    if (!Buffer.isBuffer(req.body)) {
      log.error({ path: this.path }, 'the Slack request body was parsed before the Slack route; mount the Slack adapter before any global body parser');
      return { kind: 'reply', status: 400 };
    }
    const rawBody = req.body;
    const signature = verifySlackSignature(signingSecret, {
      rawBody,
      timestamp: req.header('x-slack-request-timestamp'),
      signature: req.header('x-slack-signature'),
    });
    if (!signature.ok) {
      log.warn({ reason: signature.reason }, 'rejected a Slack request that failed signature verification');
      return { kind: 'reply', status: 401 };
    }
    const parsed = parseRequestBody(rawBody, req.header('content-type'));
    if (!parsed.ok) return this.malformed(parsed.reason);
    const body = parsed.body;

    if (body.ssl_check !== undefined) return { kind: 'reply', status: 200 };
    if (body.type === 'url_verification') {
      const verification = urlVerificationSchema.safeParse(body);
      return verification.success ? { kind: 'reply', status: 200, body: { challenge: verification.data.challenge } } : this.malformed('url_verification without a challenge');
    }
    if (body.type === 'app_rate_limited') {
      log.warn({ minute: body.minute_rate_limited }, 'Slack is dropping events: the app went over the Events API rate limit');
      return { kind: 'reply', status: 200 };
    }
    if (body.type === 'event_callback') {
      return eventCallbackSchema.safeParse(body).success ? { kind: 'bolt', body } : this.malformed('event_callback without a valid event');
    }
    if (body.command !== undefined) {
      return slashCommandSchema.safeParse(body).success ? { kind: 'bolt', body } : this.malformed('slash command without command, team, channel or user');
    }
    if (typeof body.type === 'string' && HANDLED_INTERACTIONS.has(body.type)) {
      return blockActionsSchema.safeParse(body).success ? { kind: 'bolt', body } : this.malformed('block_actions without a user or actions');
    }
    // Shortcuts, views, options requests…: opsbot declares none, so acknowledge and drop.
    log.info({ type: typeof body.type === 'string' ? body.type.slice(0, 40) : undefined }, 'ignored a Slack request opsbot does not handle');
    return { kind: 'reply', status: 200 };
  }

  private malformed(reason: string): Verdict {
    this.options.log.warn({ reason }, 'rejected a malformed Slack request');
    return { kind: 'reply', status: 400, body: { ok: false, error: 'malformed_request' } };
  }
}

function send(res: Response, status: number, body?: unknown): void {
  if (res.headersSent) return;
  res.status(status);
  if (body === undefined || body === null || body === '') res.end();
  else if (typeof body === 'string') res.type('text/plain').send(body);
  else res.json(body);
}

function headerNumber(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

function httpStatusOf(error: unknown): number {
  if (typeof error === 'object' && error !== null) {
    const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number') return status;
  }
  return 400;
}
