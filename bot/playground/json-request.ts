import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import { describeIssues, MAX_BODY_BYTES } from './playground-requests.js';

/** Every refusal is JSON, so the page can show the reason. */
export function refuse(res: Response, status: number, error: string): void {
  res.status(status).json({ error });
}

/** express.json, with its failures (bad JSON, too large) answered as JSON like every other refusal. */
export function jsonBody(): RequestHandler {
  // Only application/json: a cross-site page cannot send that without a CORS preflight, which is never granted.
  const parse = express.json({ limit: MAX_BODY_BYTES, type: 'application/json', strict: true });
  return (req: Request, res: Response, next: NextFunction) => {
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const status = (error as { status?: number }).status;
      if (status === 413) return refuse(res, 413, `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`);
      refuse(res, 400, 'The request body is not valid JSON.');
    });
  };
}

/** The validated body, or undefined once a 400 has been sent. */
export function parseBody<T>(schema: z.ZodType<T>, req: Request, res: Response): T | undefined {
  if (req.body === undefined) {
    refuse(res, 400, 'Send a JSON body with Content-Type: application/json.');
    return undefined;
  }
  const parsed = schema.safeParse(req.body);
  if (!parsed.success) {
    refuse(res, 400, describeIssues(parsed.error));
    return undefined;
  }
  return parsed.data;
}
