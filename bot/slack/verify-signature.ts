import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's window for request timestamps: older (or newer) requests are replays. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export interface SignedRequest {
  rawBody: Buffer;
  /** X-Slack-Request-Timestamp */
  timestamp: string | undefined;
  /** X-Slack-Signature */
  signature: string | undefined;
}

/**
 * Slack's request signing (v0): HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the
 * signing secret, compared in constant time, and the timestamp within five minutes
 * either way of now.
 */
export function verifySlackSignature(signingSecret: string, request: SignedRequest, nowSeconds = Math.floor(Date.now() / 1000)): SignatureCheck {
  const { rawBody, timestamp, signature } = request;
  if (!timestamp || !signature) return { ok: false, reason: 'missing X-Slack-Signature or X-Slack-Request-Timestamp' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'timestamp is not a number' };
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: 'timestamp outside the five-minute window' };
  if (!/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'signature is not a v0 signature' };
  const expected = createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest();
  const given = Buffer.from(signature.slice(3), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
