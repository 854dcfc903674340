import type { OpsbotConfig } from '../config/config.schema.js';

/** What action validation needs to know from the config. */
export interface ActionLimits {
  environments: readonly string[];
  maxReplicas: number;
  maxEpochs: number;
  maxGpus: number;
}

export function actionLimitsFrom(config: OpsbotConfig): ActionLimits {
  return {
    environments: config.environments.map((env) => env.name),
    maxReplicas: config.limits.maxReplicas,
    maxEpochs: config.limits.maxEpochs,
    maxGpus: config.limits.maxGpus,
  };
}
