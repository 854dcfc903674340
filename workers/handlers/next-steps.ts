import { defaultConfig, type JobResult } from '../../core/index.js';
import { nextEnvironment } from '../evaluation/index.js';
import type { HandlerDeps } from './handler-deps.js';

/** The configured environments in promotion order; the default config's when the runner was given none. */
export function configuredEnvironments(deps: Pick<HandlerDeps, 'environments'>): readonly string[] {
  return deps.environments ?? defaultConfig().environments.map((env) => env.name);
}

/**
 * Where the reply to a job that made a version offers to deploy it. The version runs
 * nowhere yet, so it is the stop before the top one among the configured environments:
 * never a hard-coded name that the config may lack, which would make the button's
 * command fail to parse.
 */
function newVersionDeployTarget(deps: Pick<HandlerDeps, 'environments'>): string | undefined {
  return nextEnvironment(configuredEnvironments(deps), []);
}

/**
 * The buttons under a job that made version `v` (e.g. "v3"): evaluate it and deploy it to
 * the first stop — only for opsbot's own models, which its model server can run.
 */
export function newVersionNextSteps(deps: Pick<HandlerDeps, 'environments'>, model: string, v: string, options: { builtIn: boolean }): NonNullable<JobResult['nextSteps']> {
  if (!options.builtIn) return [];
  const deployTo = newVersionDeployTarget(deps);
  return [
    { label: `Evaluate ${v}`, command: `evaluate ${model} ${v}` },
    ...(deployTo ? [{ label: `Deploy ${v} to ${deployTo}`, command: `deploy ${model} ${v} to ${deployTo}` }] : []),
  ];
}
