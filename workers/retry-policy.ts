/** How failed attempts are retried: the same policy for BullMQ and the in-process queue. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Delay before the first retry; each later retry waits twice as long. */
  backoffMs: number;
}

export function retryDelayMs(policy: RetryPolicy, failedAttempts: number): number {
  return policy.backoffMs * 2 ** Math.max(0, failedAttempts - 1);
}
