import type { DeploymentStore } from './deployment-store.port.js';

/** The versions of a model each environment runs now: version → the environments running it. */
export async function deployedVersions(deployments: DeploymentStore, model: string, environments: readonly string[]): Promise<Map<number, string[]>> {
  const deployed = new Map<number, string[]>();
  for (const env of environments) {
    const current = await deployments.current(model, env);
    if (current) deployed.set(current.version, [...(deployed.get(current.version) ?? []), env]);
  }
  return deployed;
}

/** Why a deployed version cannot be deleted, and what to do instead. */
export function deployedVersionRefusal(model: string, version: number, environments: readonly string[]): string {
  return `${model} v${version} is deployed in ${environments.join(' and ')}, so it cannot be deleted; deploy another version there (or roll back) first, then delete it`;
}
