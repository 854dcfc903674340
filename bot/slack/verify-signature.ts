import { verifySlackRequest } from '@slack/bolt';

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
 * Slack's request signing (v0), checked by Bolt's `verifySlackRequest`, as a result
 * instead of a throw. What Bolt lacks is added here: a timestamp more than five minutes
 * in the future is refused too (Bolt refuses only stale ones), and missing headers get
 * a reason rather than a TypeError.
 */
export function verifySlackSignature(signingSecret: string, request: SignedRequest, nowSeconds = Math.floor(Date.now() / 1000)): SignatureCheck {
  const { rawBody, timestamp, signature } = request;
  if (!timestamp || !signature) return { ok: false, reason: 'missing X-Slack-Signature or X-Slack-Request-Timestamp' };
  const sentAt = Number(timestamp);
  if (!Number.isSafeInteger(sentAt)) return { ok: false, reason: 'timestamp is not a number' };
  if (sentAt - nowSeconds > SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: 'timestamp more than five minutes in the future' };
  try {
    verifySlackRequest({
      signingSecret,
      body: rawBody.toString('utf8'),
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': sentAt },
      nowMilliseconds: nowSeconds * 1000,
    });
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
