import { dirname } from 'node:path';
import type { KubeConfig, V1Deployment, V1Service, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { z } from 'zod';
import {
  COLOURS,
  ConfigError,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  RolloutFailedError,
  ServiceUnavailableError,
  otherColour,
  silentLogger,
  type Colour,
  type ColourPrediction,
  type ColourStatus,
  type DeployTarget,
  type KubernetesTargetConfig,
  type Logger,
  type ModelRegistry,
  type OpsbotConfig,
  type RestoreRequest,
  type RolloutProgress,
  type RolloutRequest,
  type Scaling,
  type ServingSlot,
  type ServingStatus,
} from '../../core/index.js';
import { createOrPatch } from './apply.js';
import { deploymentPatch } from './deployment-patch.js';
import { kubeClients, type KubeClients } from './kube-api.js';
import { KubernetesApiError, kubernetesApiError, statusCodeOf } from './kubernetes-api-error.js';
import { loadKubeConfig } from './kubeconfig.js';
import { deploymentManifest, hpaManifest, namespaceManifest, serviceManifest, type ColourManifestInput } from './manifests.js';
import { LABEL, PORT_NAME, checkModelName, colourSelector, deploymentName, hpaName, liveServiceName, namespaceFor, previewServiceName } from './object-names.js';
import { waitForRollout } from './rollout-watch.js';
import { proxyPost, serviceProxyPath } from './service-proxy.js';

export interface KubernetesDeployTargetOptions {
  /** The cluster and credentials (loadKubeConfig, or kc.loadFromOptions in tests). */
  kubeConfig: KubeConfig;
  /** `deploy.kubernetes` of the config, parsed (defaults filled in). */
  config: KubernetesTargetConfig;
  /** Where a version's directory is, for `artifacts.mode: volume` with `subPath: registry`. */
  registry?: Pick<ModelRegistry, 'getVersion'>;
  log?: Logger;
  /** How long a rollout may take (`deploy.rolloutTimeoutMinutes`). @defaultValue 10 minutes */
  rolloutTimeoutMs?: number;
  /** How often a rollout reads the Deployment's status. @defaultValue 2000 */
  pollIntervalMs?: number;
  /** How long one prediction through the service proxy may take. @defaultValue 30000 */
  predictTimeoutMs?: number;
}

const v1PredictionsSchema = z.object({ predictions: z.array(z.object({ label: z.string(), probabilities: z.record(z.string(), z.number()) })) });

/**
 * Blue-green on Kubernetes, in the style of Argo Rollouts: per model and environment two Deployments,
 * `<model>-blue` and `<model>-green`, a Service `<model>` that selects the live colour and `<model>-preview`
 * the idle one. A rollout is a create-or-patch of the idle colour's Deployment watched until every pod is
 * ready; a promotion or rollback is one patch of the live Service's selector. Each colour with an autoscaling
 * range owns an HPA `<model>-<colour>`, deleted before the colour is retired (an HPA would scale it back up).
 */
export class KubernetesDeployTarget implements DeployTarget {
  readonly kind = 'kubernetes' as const;
  private readonly api: KubeClients;
  private readonly config: KubernetesTargetConfig;
  private readonly log: Logger;
  private readonly rolloutTimeoutMs: number;
  private readonly pollIntervalMs: number;
  private readonly predictTimeoutMs: number;
  private readonly checkedNamespaces = new Set<string>();

  constructor(private readonly options: KubernetesDeployTargetOptions) {
    this.api = kubeClients(options.kubeConfig);
    this.config = options.config;
    this.log = options.log ?? silentLogger;
    this.rolloutTimeoutMs = options.rolloutTimeoutMs ?? 10 * 60_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 2000;
    this.predictTimeoutMs = options.predictTimeoutMs ?? 30_000;
  }

  /** The target as configured: `deploy.kubernetes`, its kubeconfig, and `deploy.rolloutTimeoutMinutes`. */
  static fromConfig(input: { config: Pick<OpsbotConfig, 'deploy'>; log?: Logger; registry?: Pick<ModelRegistry, 'getVersion'> }): KubernetesDeployTarget {
    const target = input.config.deploy.kubernetes;
    if (!target) throw new ConfigError(['deploy.kubernetes is missing: set at least deploy.kubernetes.image']);
    return new KubernetesDeployTarget({
      kubeConfig: loadKubeConfig(target),
      config: target,
      registry: input.registry,
      log: input.log,
      rolloutTimeoutMs: input.config.deploy.rolloutTimeoutMinutes * 60_000,
    });
  }

  namespace(env: string): string {
    return namespaceFor(env, this.config.namespaces);
  }

  async rollOut(request: RolloutRequest, onProgress: (progress: RolloutProgress) => void, signal?: AbortSignal): Promise<ColourStatus> {
    checkModelName(request.model);
    const namespace = this.namespace(request.env);
    const name = deploymentName(request.model, request.colour);
    const label = `${name} in namespace ${namespace} (v${request.version})`;
    const input: ColourManifestInput = { ...request, namespace, artifactDir: await this.artifactDir(request) };
    try {
      await this.ensureNamespace(namespace);
      const live = this.selectedColour(await this.api.services.read(namespace, liveServiceName(request.model)));
      const applied = await createOrPatch(this.api.deployments, deploymentManifest(this.config, input), { patchFor: deploymentPatch, log: this.log });
      this.log.info({ deployment: name, namespace, version: request.version, action: applied.action, jobId: request.jobId }, 'rolling out');
      await this.applyScaling(input, request.scaling);
      // The preview Service follows the colour being rolled out, unless that colour is the live one.
      if (live !== request.colour) await createOrPatch(this.api.services, serviceManifest({ ...input, role: 'preview', colour: request.colour }), { log: this.log });
    } catch (error) {
      throw new RolloutFailedError(`${label} could not be applied: ${this.explain(error, namespace)}`, { cause: error });
    }
    const done = await waitForRollout({
      label,
      read: () => this.api.deployments.read(namespace, name),
      pods: () => this.api.pods.list(namespace, selectorString(colourSelector(request.model, request.colour))),
      onProgress,
      signal,
      timeoutMs: this.rolloutTimeoutMs,
      pollMs: this.pollIntervalMs,
    });
    this.log.info({ deployment: name, namespace, version: request.version }, 'rollout complete');
    return colourStatus(request.colour, done, 'min' in request.scaling ? await this.api.hpas.read(namespace, hpaName(request.model, request.colour)) : undefined);
  }

  async switchLive(slot: ServingSlot, colour: Colour): Promise<void> {
    checkModelName(slot.model);
    const namespace = this.namespace(slot.env);
    const deployment = await this.api.deployments.read(namespace, deploymentName(slot.model, colour));
    if (!deployment || (deployment.status?.readyReplicas ?? 0) === 0) {
      throw new ConflictError(`${slot.model} in ${slot.env}: the ${colour} colour has no ready pod, so traffic stays where it is; roll it out first`);
    }
    // Live first: the moment it is patched, clients reach `colour`; the preview then shows the colour kept warm.
    await this.pointService(slot, namespace, 'live', colour);
    await this.pointService(slot, namespace, 'preview', otherColour(colour));
    this.log.info({ model: slot.model, env: slot.env, namespace, live: colour }, 'live Service switched');
  }

  async scale(slot: ServingSlot, colour: Colour, scaling: Scaling): Promise<void> {
    checkModelName(slot.model);
    const namespace = this.namespace(slot.env);
    const name = deploymentName(slot.model, colour);
    const deployment = await this.api.deployments.read(namespace, name);
    const version = Number(deployment?.spec?.template?.metadata?.labels?.[LABEL.version]);
    if (!deployment || !Number.isInteger(version)) throw new NotFoundError(`${slot.model} in ${slot.env}: the ${colour} colour (${name} in ${namespace}) runs nothing to scale`);
    await this.applyScaling({ ...slot, namespace, colour, version, scaling }, scaling, deployment.spec?.replicas ?? 0);
    this.log.info({ deployment: name, namespace, scaling }, 'scaled');
  }

  async retire(slot: ServingSlot, colour: Colour): Promise<void> {
    checkModelName(slot.model);
    const namespace = this.namespace(slot.env);
    const name = deploymentName(slot.model, colour);
    // The HPA goes first: while it exists it would scale the Deployment back to its minimum.
    await this.api.hpas.remove(namespace, hpaName(slot.model, colour));
    if (await this.api.deployments.read(namespace, name)) await this.api.scale.patch(namespace, name, 0);
    this.log.info({ deployment: name, namespace }, 'colour retired (scaled to 0)');
  }

  async status(slot: ServingSlot): Promise<ServingStatus> {
    checkModelName(slot.model);
    const namespace = this.namespace(slot.env);
    const [live, preview, ...perColour] = await Promise.all([
      this.api.services.read(namespace, liveServiceName(slot.model)),
      this.api.services.read(namespace, previewServiceName(slot.model)),
      ...COLOURS.flatMap((colour) => [this.api.deployments.read(namespace, deploymentName(slot.model, colour)), this.api.hpas.read(namespace, hpaName(slot.model, colour))]),
    ]);
    const colours = Object.fromEntries(
      COLOURS.map((colour, i) => [colour, colourStatus(colour, perColour[2 * i] as V1Deployment | undefined, perColour[2 * i + 1] as V2HorizontalPodAutoscaler | undefined)]),
    ) as Record<Colour, ColourStatus>;
    const host = (service: string) => `http://${service}.${namespace}.svc.cluster.local`;
    return {
      ...slot,
      live: this.selectedColour(live as V1Service | undefined),
      colours,
      ...(live ? { endpoint: host(liveServiceName(slot.model)) } : {}),
      ...(preview ? { previewEndpoint: host(previewServiceName(slot.model)) } : {}),
    };
  }

  /**
   * Through the API server's service proxy, so it works from outside the cluster: `<model>` when `colour` is
   * live, `<model>-preview` when the preview Service points at it (the idle colour under test).
   */
  async predict(slot: ServingSlot, colour: Colour, texts: readonly string[]): Promise<ColourPrediction[]> {
    checkModelName(slot.model);
    const namespace = this.namespace(slot.env);
    const [live, preview] = await Promise.all([this.api.services.read(namespace, liveServiceName(slot.model)), this.api.services.read(namespace, previewServiceName(slot.model))]);
    const service = this.selectedColour(live) === colour ? liveServiceName(slot.model) : this.selectedColour(preview) === colour ? previewServiceName(slot.model) : undefined;
    if (!service) throw new ConflictError(`${slot.model} in ${slot.env}: no Service points at the ${colour} colour, so it cannot be asked`);
    const path = serviceProxyPath(namespace, service, PORT_NAME, `/v1/models/${encodeURIComponent(slot.model)}:predict`);
    let response;
    try {
      response = await proxyPost(this.options.kubeConfig, path, { instances: texts }, this.predictTimeoutMs);
    } catch (error) {
      throw new ServiceUnavailableError(`${slot.model} in ${slot.env}: the ${colour} colour could not be reached through the API server (${(error as Error).message})`);
    }
    const body: unknown = safeJson(response.body);
    if (response.status !== 200) {
      const reason = typeof (body as { error?: unknown })?.error === 'string' ? (body as { error: string }).error : typeof (body as { message?: unknown })?.message === 'string' ? (body as { message: string }).message : `HTTP ${response.status}`;
      if (response.status >= 400 && response.status < 500 && (body as { kind?: string })?.kind !== 'Status') throw new InvalidInputError(`${slot.model} in ${slot.env}: the ${colour} colour refused the texts: ${reason}`);
      throw new ServiceUnavailableError(`${slot.model} in ${slot.env}: the ${colour} colour failed to answer (${service} in ${namespace}): ${reason}`);
    }
    const parsed = v1PredictionsSchema.safeParse(body);
    if (!parsed.success || parsed.data.predictions.length !== texts.length) throw new ServiceUnavailableError(`${slot.model} in ${slot.env}: the ${colour} colour answered with something that is not ${texts.length} V1 predictions`);
    return parsed.data.predictions;
  }

  /**
   * The cluster kept its objects while opsbot was away, so nothing is started: this reads what runs and logs
   * where it differs from what opsbot remembers (someone scaled or switched by hand), without changing it.
   */
  async restore(serving: readonly RestoreRequest[]): Promise<void> {
    for (const request of serving) {
      try {
        const seen = await this.status(request);
        const differences: string[] = [];
        if (seen.live !== request.live) differences.push(`the live Service points at ${seen.live ?? 'nothing'}, opsbot remembers ${request.live ?? 'nothing live yet'}`);
        for (const colour of COLOURS) {
          const wanted = request.colours[colour];
          const running = seen.colours[colour];
          if (wanted && running.version !== wanted.version) differences.push(`${colour} runs ${running.version ? `v${running.version}` : 'nothing'}, opsbot remembers v${wanted.version}`);
          if (wanted && running.readyReplicas === 0) differences.push(`${colour} has no ready pod`);
        }
        const context = { model: request.model, env: request.env, namespace: this.namespace(request.env), live: seen.live, blue: seen.colours.blue, green: seen.colours.green };
        if (differences.length === 0) this.log.info(context, 'Kubernetes still serves what opsbot remembers');
        else this.log.warn({ ...context, differences }, 'Kubernetes serves something other than what opsbot remembers; left as it is');
      } catch (error) {
        this.log.warn({ err: error, model: request.model, env: request.env }, 'could not read what Kubernetes serves after the restart');
      }
    }
  }

  async close(): Promise<void> {}

  /** Applies the scaling of a colour: its HPA for a range (and replicas inside it), or no HPA and fixed replicas. */
  private async applyScaling(input: ColourManifestInput, scaling: Scaling, currentReplicas?: number): Promise<void> {
    const name = deploymentName(input.model, input.colour);
    if ('replicas' in scaling) {
      await this.api.hpas.remove(input.namespace, hpaName(input.model, input.colour));
      if (currentReplicas !== undefined && currentReplicas !== scaling.replicas) await this.api.scale.patch(input.namespace, name, scaling.replicas);
      return;
    }
    await createOrPatch(this.api.hpas, hpaManifest(this.config, { ...input, scaling }), { log: this.log });
    // An HPA never acts on a Deployment at 0 replicas, and takes a while to act at all: start it inside the range.
    if (currentReplicas !== undefined && (currentReplicas < scaling.min || currentReplicas > scaling.max)) {
      await this.api.scale.patch(input.namespace, name, Math.min(scaling.max, Math.max(scaling.min, currentReplicas)));
    }
  }

  /** Creates the Service when missing; else patches its selector only, the one field a switch changes. */
  private async pointService(slot: ServingSlot, namespace: string, role: 'live' | 'preview', colour: Colour): Promise<void> {
    const desired = serviceManifest({ ...slot, namespace, role, colour });
    const name = desired.metadata?.name as string;
    try {
      const current = await this.api.services.read(namespace, name);
      if (!current) await createOrPatch(this.api.services, desired, { log: this.log });
      else if (this.selectedColour(current) !== colour || Object.keys(current.spec?.selector ?? {}).length !== 2) await this.api.services.patch(namespace, name, { spec: { selector: desired.spec?.selector } });
    } catch (error) {
      throw kubernetesApiError(error, `point Service ${name} in namespace ${namespace} at ${colour}`);
    }
  }

  private selectedColour(service: V1Service | undefined): Colour | undefined {
    const colour = service?.spec?.selector?.[LABEL.colour];
    return COLOURS.find((c) => c === colour);
  }

  private async ensureNamespace(namespace: string): Promise<void> {
    if (!this.config.createNamespaces || this.checkedNamespaces.has(namespace)) return;
    if (!(await this.api.namespaces.read(namespace))) {
      try {
        await this.api.namespaces.create(namespaceManifest(namespace));
        this.log.info({ namespace }, 'namespace created');
      } catch (error) {
        if (!(error instanceof KubernetesApiError && error.status === 409)) throw error;
      }
    }
    this.checkedNamespaces.add(namespace);
  }

  /** The version's directory on the claim, for `subPath: registry`: the registry entry's artifact directory. */
  private async artifactDir(request: RolloutRequest): Promise<string | undefined> {
    const artifacts = this.config.artifacts;
    if (artifacts.mode !== 'volume' || artifacts.subPath !== 'registry') return undefined;
    if (!this.options.registry) throw new RolloutFailedError('deploy.kubernetes.artifacts.subPath is "registry" but the Kubernetes target was built without the registry; this is a wiring bug (pass registry to KubernetesDeployTarget.fromConfig)');
    const entry = await this.options.registry.getVersion(request.model, request.version);
    if (!entry) throw new RolloutFailedError(`${request.model} has no version ${request.version} in the registry; nothing was deployed (see \`status ${request.model}\`)`);
    return dirname(entry.artifactPath);
  }

  private explain(error: unknown, namespace: string): string {
    const message = error instanceof Error && 'userMessage' in error ? String((error as { userMessage: string }).userMessage) : error instanceof Error ? error.message : String(error);
    const missingNamespace = statusCodeOf((error as { cause?: unknown })?.cause) === 404 || (error instanceof KubernetesApiError && error.status === 404);
    return missingNamespace ? `${message}; does namespace ${namespace} exist? Create it, or set deploy.kubernetes.createNamespaces` : message;
  }
}

/** A colour as the port reports it: the version its pod template runs while it has replicas, and its HPA's range. */
function colourStatus(colour: Colour, deployment: V1Deployment | undefined, hpa: V2HorizontalPodAutoscaler | undefined): ColourStatus {
  const desired = deployment?.spec?.replicas ?? 0;
  const version = Number(deployment?.spec?.template?.metadata?.labels?.[LABEL.version]);
  return {
    colour,
    ...(desired > 0 && Number.isInteger(version) ? { version } : {}),
    desiredReplicas: desired,
    readyReplicas: deployment?.status?.readyReplicas ?? 0,
    ...(hpa?.spec ? { autoscaling: { min: hpa.spec.minReplicas ?? 1, max: hpa.spec.maxReplicas } } : {}),
  };
}

function selectorString(selector: Record<string, string>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

