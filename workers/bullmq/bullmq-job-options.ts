import type { RetryPolicy } from '../retry-policy.js';

/** Retries, and how long finished jobs stay in Redis (the state store keeps them for good). */
export function bullmqJobOptions(policy: RetryPolicy) {
  return {
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs },
    removeOnComplete: { age: 7 * 24 * 3600, count: 5000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}
