import { AppsV1Api, AutoscalingV2Api, CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig, type V1Deployment, type V1Namespace, type V1Pod, type V1Scale, type V1Service, type V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { kubernetesApiError, statusCodeOf } from './kubernetes-api-error.js';

/**
 * client-node 1.4 sends every PATCH as application/json-patch+json unless told otherwise; opsbot's patches are
 * JSON merge patches (RFC 7386: maps merge, lists are replaced whole, null removes a key), so they say so.
 */
export const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** One kind of namespaced object, the calls apply needs; a missing object reads as undefined, errors say what failed. */
export interface NamespacedResource<T> {
  readonly kind: string;
  read(namespace: string, name: string): Promise<T | undefined>;
  create(namespace: string, body: T): Promise<T>;
  /** A JSON merge patch. */
  patch(namespace: string, name: string, body: object): Promise<T>;
  /** False when there was nothing to delete. */
  remove(namespace: string, name: string): Promise<boolean>;
}

/** Runs a call, turning a 404 into undefined and other failures into a KubernetesApiError naming `what`. */
async function orMissing<T>(call: () => Promise<T>, what: string): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (statusCodeOf(error) === 404) return undefined;
    throw kubernetesApiError(error, what);
  }
}

async function described<T>(call: () => Promise<T>, what: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw kubernetesApiError(error, what);
  }
}

/** Keeps the raw failure for apply's conflict handling (409s are retried, not reported). */
async function raw<T>(call: () => Promise<T>): Promise<T> {
  return call();
}

export interface KubeClients {
  deployments: NamespacedResource<V1Deployment>;
  services: NamespacedResource<V1Service>;
  hpas: NamespacedResource<V2HorizontalPodAutoscaler>;
  /** The Deployment's scale subresource (autoscaling/v1 Scale). */
  scale: {
    read(namespace: string, name: string): Promise<V1Scale | undefined>;
    patch(namespace: string, name: string, replicas: number): Promise<V1Scale>;
  };
  namespaces: { read(name: string): Promise<V1Namespace | undefined>; create(body: V1Namespace): Promise<V1Namespace> };
  pods: { list(namespace: string, labelSelector: string): Promise<V1Pod[]> };
}

/** The typed clients of the API groups opsbot uses, over one kubeconfig. */
export function kubeClients(kc: KubeConfig): KubeClients {
  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const autoscaling = kc.makeApiClient(AutoscalingV2Api);
  const at = (kind: string, namespace: string, name: string) => `${kind} ${name} in namespace ${namespace}`;
  return {
    deployments: {
      kind: 'Deployment',
      read: (namespace, name) => orMissing(() => apps.readNamespacedDeployment({ namespace, name }), `read ${at('Deployment', namespace, name)}`),
      create: (namespace, body) => raw(() => apps.createNamespacedDeployment({ namespace, body })),
      patch: (namespace, name, body) => raw(() => apps.patchNamespacedDeployment({ namespace, name, body }, MERGE_PATCH)),
      remove: async (namespace, name) => (await orMissing(() => apps.deleteNamespacedDeployment({ namespace, name }), `delete ${at('Deployment', namespace, name)}`)) !== undefined,
    },
    services: {
      kind: 'Service',
      read: (namespace, name) => orMissing(() => core.readNamespacedService({ namespace, name }), `read ${at('Service', namespace, name)}`),
      create: (namespace, body) => raw(() => core.createNamespacedService({ namespace, body })),
      patch: (namespace, name, body) => raw(() => core.patchNamespacedService({ namespace, name, body }, MERGE_PATCH)),
      remove: async (namespace, name) => (await orMissing(() => core.deleteNamespacedService({ namespace, name }), `delete ${at('Service', namespace, name)}`)) !== undefined,
    },
    hpas: {
      kind: 'HorizontalPodAutoscaler',
      read: (namespace, name) => orMissing(() => autoscaling.readNamespacedHorizontalPodAutoscaler({ namespace, name }), `read ${at('HorizontalPodAutoscaler', namespace, name)}`),
      create: (namespace, body) => raw(() => autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace, body })),
      patch: (namespace, name, body) => raw(() => autoscaling.patchNamespacedHorizontalPodAutoscaler({ namespace, name, body }, MERGE_PATCH)),
      remove: async (namespace, name) =>
        (await orMissing(() => autoscaling.deleteNamespacedHorizontalPodAutoscaler({ namespace, name }), `delete ${at('HorizontalPodAutoscaler', namespace, name)}`)) !== undefined,
    },
    scale: {
      read: (namespace, name) => orMissing(() => apps.readNamespacedDeploymentScale({ namespace, name }), `read the scale of ${at('Deployment', namespace, name)}`),
      patch: (namespace, name, replicas) =>
        described(() => apps.patchNamespacedDeploymentScale({ namespace, name, body: { spec: { replicas } } }, MERGE_PATCH), `scale ${at('Deployment', namespace, name)} to ${replicas}`),
    },
    namespaces: {
      read: (name) => orMissing(() => core.readNamespace({ name }), `read namespace ${name}`),
      create: (body) => described(() => core.createNamespace({ body }), `create namespace ${body.metadata?.name}`),
    },
    pods: {
      list: async (namespace, labelSelector) => (await described(() => core.listNamespacedPod({ namespace, labelSelector }), `list the pods of ${labelSelector} in namespace ${namespace}`)).items,
    },
  };
}
