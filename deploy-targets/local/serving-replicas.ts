import type { Scaling } from '../../core/deployments/deploy-target.port.js';
import { InvalidInputError } from '../../core/errors.js';

/**
 * How many model servers the local target runs for a Scaling. It has no autoscaler, so a range
 * `{min, max}` serves a fixed `min` replicas — but at least 1: a range starting at 0 means
 * "scale to zero when idle" elsewhere, which without an autoscaler to wake it up would be an
 * endpoint that never answers. `{replicas: 0}` is an explicit stop and serves none.
 */
export function servingReplicas(scaling: Scaling): number {
  if ('replicas' in scaling) {
    if (!Number.isInteger(scaling.replicas) || scaling.replicas < 0) throw new InvalidInputError(`replicas must be a whole number, 0 or more; got ${scaling.replicas}`);
    return scaling.replicas;
  }
  const { min, max } = scaling;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < Math.max(min, 1)) {
    throw new InvalidInputError(`a replica range needs whole numbers with 0 ≤ min ≤ max and max ≥ 1; got min ${min}, max ${max}`);
  }
  return Math.max(min, 1);
}
