import type { DeployTarget, Logger, OpsbotConfig, StateStore } from '../core/index.js';

/** The configured deploy target; each loads only its own modules (client-node only for Kubernetes). */
export async function createDeployTarget(config: OpsbotConfig, log: Logger, store: StateStore): Promise<DeployTarget> {
  if (config.deploy.target === 'kubernetes') {
    const { KubernetesDeployTarget } = await import('../deploy-targets/kubernetes/index.js');
    return KubernetesDeployTarget.fromConfig({ config, log, registry: store.registry });
  }
  const { LocalDeployTarget } = await import('../deploy-targets/local/index.js');
  return new LocalDeployTarget({
    dataDir: config.dataDir,
    registry: store.registry,
    config: config.deploy.local,
    rolloutTimeoutMs: config.deploy.rolloutTimeoutMinutes * 60_000,
    redisUrl: config.redisUrl,
    logLevel: config.logLevel,
    log,
  });
}
