import { createHash } from 'node:crypto';

/** A short, stable id for a group key, so the same group keeps one id (and one thread) across restarts. */
export function alertGroupId(groupKey: string): string {
  return `a-${createHash('sha256').update(groupKey).digest('hex').slice(0, 10)}`;
}

/** What the alert buttons send: `alert ack a-0123456789`, `alert silence a-0123456789 1h`. */
export const ALERT_COMMAND = /^\s*alert\s+(ack|silence|unsilence|rollback|scale-up|escalate)\s+(a-[0-9a-f]{10})(?:\s+(1h|4h))?\s*$/i;
