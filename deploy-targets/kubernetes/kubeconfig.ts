import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../../core/index.js';

/** What loadFromDefault falls back to when it found nothing: a cluster nobody configured. */
const NOTHING_FOUND = 'http://localhost:8080';

/**
 * The cluster and credentials: `deploy.kubernetes.kubeconfig` when set; else, as kubectl, KUBECONFIG or
 * ~/.kube/config; else the in-cluster service account (opsbot running in a pod). `context` picks one of its contexts.
 */
export function loadKubeConfig(options: { kubeconfig?: string; context?: string }): KubeConfig {
  const kc = new KubeConfig();
  if (options.kubeconfig) {
    if (!existsSync(options.kubeconfig)) throw new ConfigError([`deploy.kubernetes.kubeconfig: ${options.kubeconfig} does not exist`]);
    try {
      kc.loadFromFile(options.kubeconfig);
    } catch (error) {
      throw new ConfigError([`deploy.kubernetes.kubeconfig: ${options.kubeconfig} cannot be read as a kubeconfig (${(error as Error).message})`]);
    }
  } else {
    kc.loadFromDefault();
    if (kc.getCurrentCluster()?.server === NOTHING_FOUND && !process.env.KUBECONFIG) {
      throw new ConfigError(['deploy.target is "kubernetes" but no cluster is configured: set deploy.kubernetes.kubeconfig or KUBECONFIG, create ~/.kube/config, or run opsbot in the cluster with a service account']);
    }
  }
  if (options.context) {
    if (!kc.getContextObject(options.context)) {
      throw new ConfigError([`deploy.kubernetes.context: the kubeconfig has no context "${options.context}" (it has ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`]);
    }
    kc.setCurrentContext(options.context);
  }
  if (!kc.getCurrentCluster()) throw new ConfigError(['the kubeconfig names no current cluster: set current-context or deploy.kubernetes.context']);
  return kc;
}
