import type { EnvironmentConfig, OpsbotConfig } from '../config/config.schema.js';
import { InvalidInputError } from '../errors.js';
import type { Scaling } from './deploy-target.port.js';

/** The replicas an environment may run: at least 3 in a protected one (production, the seed's rule), else 0. */
export function replicaBounds(env: EnvironmentConfig, limits: OpsbotConfig['limits']): { min: number; max: number } {
  const min = env.minReplicas ?? (env.protected ? 3 : 0);
  return { min, max: Math.min(env.maxReplicas ?? limits.maxReplicas, limits.maxReplicas) };
}

/** What a first deployment into an environment starts with. */
export function initialScaling(env: EnvironmentConfig, limits: OpsbotConfig['limits']): Scaling {
  const { min, max } = replicaBounds(env, limits);
  return { replicas: Math.min(max, Math.max(env.replicas ?? min, 1)) };
}

/** Refuses a scaling outside the environment's bounds, saying what is allowed. */
export function checkScaling(scaling: Scaling, env: EnvironmentConfig, limits: OpsbotConfig['limits']): void {
  const { min, max } = replicaBounds(env, limits);
  const low = 'replicas' in scaling ? scaling.replicas : scaling.min;
  const high = 'replicas' in scaling ? scaling.replicas : scaling.max;
  if (low < min || high > max) {
    throw new InvalidInputError(`${env.name} runs between ${min} and ${max} replicas${env.protected && env.minReplicas === undefined ? ' (a protected environment keeps at least 3)' : ''}; ${describeScaling(scaling)} is outside that`);
  }
}

export function describeScaling(scaling: Scaling): string {
  if ('replicas' in scaling) return `${scaling.replicas} replica${scaling.replicas === 1 ? '' : 's'}`;
  return `autoscaling between ${scaling.min} and ${scaling.max} replicas`;
}
