import { HTTPModuleFunctions, type App, type Receiver } from '@slack/bolt';
import type { Express, Request, Response } from 'express';
import type { Logger } from '../../core/index.js';
import { AckedEvents } from './acked-events.js';
import { screenSlackPayload, type PayloadVerdict } from './screen-payload.js';
import { verifySlackSignature } from './verify-signature.js';

export interface SlackHttpReceiverOptions {
  signingSecret: string;
  log: Logger;
  /** The one Request URL for events, slash commands and interactivity (as the manifest declares). */
  path?: string;
  /** Block action payloads carry the whole clicked message, so allow more than a small form. */
  maxBodyBytes?: number;
}

/**
 * Bolt's Receiver for HTTP mode, made of Bolt's own pieces (HTTPModuleFunctions to read,
 * parse and answer requests; verifySlackRequest for the signature). What Bolt's
 * ExpressReceiver and HTTPReceiver lack, and the reason this class exists:
 * - it mounts on opsbot's shared express server instead of starting a server of its own;
 * - a malformed request is answered 400 (or 200), never 500, and Bolt is only handed a
 *   payload that screenSlackPayload has checked;
 * - Slack gets its 200 before Bolt runs authorize, middleware and listeners, so nothing
 *   opsbot does for a command (user lookup, store, audit, queue) can delay the ack;
 * - timestamps from the future are refused as well as stale ones (verify-signature.ts).
 */
export class SlackHttpReceiver implements Receiver {
  private events?: AckedEvents;
  readonly path: string;
  private readonly maxBodyBytes: number;

  constructor(private readonly options: SlackHttpReceiverOptions) {
    this.path = options.path ?? '/slack/events';
    this.maxBodyBytes = options.maxBodyBytes ?? 2 * 1024 * 1024;
  }

  init(app: App): void {
    this.events = new AckedEvents(app, this.options.log);
  }

  /** The express server is opsbot's, so there is nothing to start or stop here. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  mount(app: Express): void {
    app.post(this.path, (req, res) => void this.handle(req, res));
  }

  private async handle(req: Request, res: Response): Promise<void> {
    const verdict = await this.check(req);
    if (verdict.kind === 'reply') return reply(res, verdict.status, verdict.body);
    // The ack: signature checked, payload screened; everything else happens after it.
    HTTPModuleFunctions.buildNoBodyResponse(res, 200);
    if (!this.events) return this.options.log.error({ path: this.path }, 'the Slack receiver was mounted before Bolt initialised it');
    await this.events.process({
      body: verdict.body,
      retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req),
      retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req),
    });
  }

  /** Resolves when Bolt has run every request received so far. */
  settled(): Promise<void> {
    return this.events?.settled() ?? Promise.resolve();
  }

  private async check(req: Request): Promise<PayloadVerdict> {
    const { log, signingSecret } = this.options;
    let rawBody: Buffer;
    try {
      rawBody = (await HTTPModuleFunctions.bufferIncomingMessage(req, this.maxBodyBytes)).rawBody;
    } catch (error) {
      // Too large, aborted, already read by a global body parser: the client's problem or a wiring mistake, never a 500.
      const status = HTTPModuleFunctions.isRawBodyError(error) && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      log.warn({ status, reason: error instanceof Error ? error.message : String(error) }, 'rejected a Slack request body; mount the Slack adapter before any global body parser');
      return { kind: 'reply', status };
    }
    const signature = verifySlackSignature(signingSecret, { rawBody, timestamp: req.header('x-slack-request-timestamp'), signature: req.header('x-slack-signature') });
    if (!signature.ok) {
      log.warn({ reason: signature.reason }, 'rejected a Slack request that failed signature verification');
      return { kind: 'reply', status: 401 };
    }
    let payload: unknown;
    try {
      payload = HTTPModuleFunctions.parseHTTPRequestBody(Object.assign(req, { rawBody }));
    } catch {
      payload = undefined;
    }
    return screenSlackPayload(payload, log);
  }
}

function reply(res: Response, status: number, body: unknown): void {
  if (res.headersSent) return;
  if (body === undefined) return HTTPModuleFunctions.buildNoBodyResponse(res, status);
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
