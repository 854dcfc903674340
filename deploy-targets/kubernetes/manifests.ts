import type { V1Container, V1Deployment, V1Namespace, V1PodSpec, V1SecurityContext, V1Service, V1Volume, V1VolumeMount, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { Colour, KubernetesTargetConfig, Scaling } from '../../core/index.js';
import { CONTAINER_PORT, JOB_ANNOTATION, LABEL, PORT_NAME, SERVICE_PORT, colourSelector, deploymentName, hpaName, liveServiceName, modelLabels, previewServiceName } from './object-names.js';

/** Where the version's files are in the model-server container (`--model-dir`). */
export const MODEL_DIR = '/models';
const MODEL_VOLUME = 'model';
const TMP_VOLUME = 'tmp';
/** The init container reads the bearer token from this variable (never from its command line). */
export const ARTIFACT_TOKEN_ENV = 'OPSBOT_ARTIFACT_TOKEN';

/** One colour of one model in one environment, as it should run. */
export interface ColourManifestInput {
  model: string;
  env: string;
  namespace: string;
  colour: Colour;
  version: number;
  scaling: Scaling;
  jobId?: string;
  /**
   * The version's directory relative to the claim, for `artifacts.mode: volume` with `subPath: registry`
   * (the registry entry's artifact directory); the caller looks it up, so these builders stay pure.
   */
  artifactDir?: string;
}

/**
 * Replicas the Deployment is given: a fixed count, or the autoscaling floor. An HPA leaves a
 * Deployment at 0 replicas alone (scaling to zero turns it off), so an autoscaled colour is
 * started at `min` and the HPA takes it from there.
 */
export function replicasFor(scaling: Scaling): number {
  return 'replicas' in scaling ? scaling.replicas : scaling.min;
}

/** Least privilege for every container: non-root, read-only root, no escalation, no capabilities (Pod Security "restricted"). */
function containerSecurityContext(config: KubernetesTargetConfig): V1SecurityContext {
  return { runAsNonRoot: true, runAsUser: config.runAsUser, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
}

/** The version's files: where they come from, and the init container that fetches them over HTTP. */
function artifactSource(config: KubernetesTargetConfig, input: ColourManifestInput): { volume: V1Volume; mount: V1VolumeMount; init?: V1Container } {
  const artifacts = config.artifacts;
  if (artifacts.mode === 'volume') {
    const subPath = artifacts.subPath === 'registry' ? input.artifactDir : artifacts.subPath.replaceAll('{model}', input.model).replaceAll('{version}', String(input.version));
    if (!subPath) throw new Error(`the artifact directory of ${input.model} v${input.version} is needed for artifacts.subPath "registry"`);
    return {
      volume: { name: MODEL_VOLUME, persistentVolumeClaim: { claimName: artifacts.claimName, readOnly: true } },
      mount: { name: MODEL_VOLUME, mountPath: MODEL_DIR, subPath, readOnly: true },
    };
  }
  const init: V1Container = {
    name: 'fetch-artifact',
    image: config.image,
    imagePullPolicy: config.imagePullPolicy,
    command: config.command,
    args: ['fetch-artifact', '--url', `${artifacts.url}/${encodeURIComponent(input.model)}/${input.version}`, '--to', MODEL_DIR],
    env: [{ name: ARTIFACT_TOKEN_ENV, valueFrom: { secretKeyRef: { name: artifacts.tokenSecret.name, key: artifacts.tokenSecret.key } } }],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    securityContext: containerSecurityContext(config),
    volumeMounts: [
      { name: MODEL_VOLUME, mountPath: MODEL_DIR },
      { name: TMP_VOLUME, mountPath: '/tmp' },
    ],
  };
  return { volume: { name: MODEL_VOLUME, emptyDir: {} }, mount: { name: MODEL_VOLUME, mountPath: MODEL_DIR, readOnly: true }, init };
}

/** The container's resources: the model's own or the target's, plus its GPUs as a limit (extended resources need no request). */
function resourcesFor(config: KubernetesTargetConfig, model: string): V1Container['resources'] {
  const perModel = config.models[model];
  const base = perModel?.resources ?? config.resources;
  const gpus = perModel?.gpus ?? 0;
  return { requests: { ...base.requests }, limits: { ...base.limits, ...(gpus > 0 ? { [config.gpuResource]: String(gpus) } : {}) } };
}

/** `<model>-<colour>`: the model server for one version, rolled by Kubernetes when the version changes. */
export function deploymentManifest(config: KubernetesTargetConfig, input: ColourManifestInput): V1Deployment {
  const { model, env, namespace, colour, version } = input;
  const labels = { ...modelLabels(model, env), [LABEL.colour]: colour, [LABEL.version]: String(version) };
  const artifact = artifactSource(config, input);
  const perModel = config.models[model];
  const nodeSelector = { ...config.nodeSelector, ...perModel?.nodeSelector };
  const tolerations = [...config.tolerations, ...(perModel?.tolerations ?? [])];
  const probe = (path: string) => ({ httpGet: { path, port: PORT_NAME, scheme: 'HTTP' } });
  const container: V1Container = {
    name: 'model-server',
    image: config.image,
    imagePullPolicy: config.imagePullPolicy,
    command: config.command,
    args: ['serve-model', '--model', model, '--version', String(version), '--model-dir', MODEL_DIR, '--port', String(CONTAINER_PORT), '--host', '0.0.0.0'],
    ports: [{ name: PORT_NAME, containerPort: CONTAINER_PORT, protocol: 'TCP' }],
    // Ready only once loaded and warmed up (/healthz); 5 s per check, the seed's rule.
    readinessProbe: { ...probe('/healthz'), periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1 },
    // /v2/health/live answers as soon as the process listens, warm-up or not; the startup probe gives a slow
    // start 5 minutes before liveness applies, and liveness then needs a minute of failures to restart a pod.
    startupProbe: { ...probe('/v2/health/live'), periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 60 },
    livenessProbe: { ...probe('/v2/health/live'), initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
    resources: resourcesFor(config, model),
    securityContext: containerSecurityContext(config),
    volumeMounts: [artifact.mount, { name: TMP_VOLUME, mountPath: '/tmp' }],
  };
  const podSpec: V1PodSpec = {
    // The model server never calls the Kubernetes API.
    automountServiceAccountToken: false,
    ...(config.serviceAccountName ? { serviceAccountName: config.serviceAccountName } : {}),
    securityContext: { runAsNonRoot: true, runAsUser: config.runAsUser, runAsGroup: config.runAsUser, fsGroup: config.runAsUser, seccompProfile: { type: 'RuntimeDefault' } },
    // The server drains for up to 10 s after SIGTERM (model-server drainTimeoutMs).
    terminationGracePeriodSeconds: 30,
    ...(config.imagePullSecrets.length > 0 ? { imagePullSecrets: config.imagePullSecrets.map((name) => ({ name })) } : {}),
    ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
    ...(tolerations.length > 0 ? { tolerations } : {}),
    ...(artifact.init ? { initContainers: [artifact.init] } : {}),
    containers: [container],
    volumes: [artifact.volume, { name: TMP_VOLUME, emptyDir: { sizeLimit: '1Gi' } }],
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: deploymentName(model, colour), namespace, labels, ...(input.jobId ? { annotations: { [JOB_ANNOTATION]: input.jobId } } : {}) },
    spec: {
      replicas: replicasFor(input.scaling),
      revisionHistoryLimit: 3,
      progressDeadlineSeconds: config.progressDeadlineSeconds,
      selector: { matchLabels: colourSelector(model, colour) },
      // Never below the wanted replicas while a new version rolls in: a colour may be live when scaled or re-rolled.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: { metadata: { labels }, spec: podSpec },
    },
  };
}

/** The colour's HPA: CPU utilisation within the scaling's range. Only a colour with an autoscaling range has one. */
export function hpaManifest(config: KubernetesTargetConfig, input: ColourManifestInput & { scaling: { min: number; max: number } }): V2HorizontalPodAutoscaler {
  const { model, env, namespace, colour } = input;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: hpaName(model, colour), namespace, labels: { ...modelLabels(model, env), [LABEL.colour]: colour } },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName(model, colour) },
      minReplicas: input.scaling.min,
      maxReplicas: input.scaling.max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: config.targetCpuUtilization } } }],
    },
  };
}

/** `<model>` (clients' stable address: the live colour) or `<model>-preview` (the idle colour, for checks before promotion). */
export function serviceManifest(input: { model: string; env: string; namespace: string; role: 'live' | 'preview'; colour: Colour }): V1Service {
  const { model, env, namespace, role, colour } = input;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: role === 'live' ? liveServiceName(model) : previewServiceName(model), namespace, labels: { ...modelLabels(model, env), [LABEL.role]: role } },
    spec: {
      type: 'ClusterIP',
      selector: colourSelector(model, colour),
      ports: [{ name: PORT_NAME, port: SERVICE_PORT, targetPort: PORT_NAME, protocol: 'TCP' }],
    },
  };
}

export function namespaceManifest(name: string): V1Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [LABEL.managedBy]: 'opsbot' } } };
}

/**
 * Everything for `colour` serving `version` live, in apply order: the Deployment, its HPA when autoscaled,
 * the live Service on this colour and the preview Service on the other. `opsbot manifests` prints these.
 */
export function servingManifests(config: KubernetesTargetConfig, input: ColourManifestInput): Array<V1Deployment | V2HorizontalPodAutoscaler | V1Service> {
  const other: Colour = input.colour === 'blue' ? 'green' : 'blue';
  const scaling = input.scaling;
  return [
    deploymentManifest(config, input),
    ...('min' in scaling ? [hpaManifest(config, { ...input, scaling })] : []),
    serviceManifest({ ...input, role: 'live', colour: input.colour }),
    serviceManifest({ ...input, role: 'preview', colour: other }),
  ];
}
