import { z } from 'zod';

/** A Kubernetes quantity as written in a manifest: `2`, `500m`, `8Gi`. */
const quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$/, 'a Kubernetes quantity such as "2", "500m" or "8Gi"');

/** CPU and memory of the model-server container; GPUs are set per model (`models.<name>.gpus`). */
export const containerResourcesSchema = z.object({
  requests: z.object({ cpu: quantity, memory: quantity }),
  limits: z.object({ cpu: quantity, memory: quantity }),
});

/** The seed's serving resources: requests 2 CPU / 8Gi, limits 4 CPU / 16Gi. */
export const DEFAULT_CONTAINER_RESOURCES = { requests: { cpu: '2', memory: '8Gi' }, limits: { cpu: '4', memory: '16Gi' } } as const;

const tolerationSchema = z.object({
  key: z.string().optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  tolerationSeconds: z.number().int().optional(),
});

/** What one model's pods need beyond the defaults: GPUs, more memory, a node pool. */
export const kubernetesModelSchema = z.object({
  /**
   * GPUs per pod, as a limit of `gpuResource`; 0 runs on CPU.
   * @defaultValue `0`
   */
  gpus: z.number().int().min(0).max(16).default(0),
  /** Replaces `resources` for this model. */
  resources: containerResourcesSchema.optional(),
  /** Merged over `nodeSelector` for this model (a GPU node pool, say). */
  nodeSelector: z.record(z.string(), z.string()).optional(),
  /** Added to `tolerations` for this model (GPU nodes are usually tainted). */
  tolerations: z.array(tolerationSchema).optional(),
});

/**
 * How a pod gets its version's files (model.json, weights.bin, model.onnx) into the directory `--model-dir` names.
 * `volume`: a PersistentVolumeClaim mounted read-only, one sub-path per version. `http`: an init container downloads
 * them from opsbot's artifact route with a bearer token from a Secret into an emptyDir. See deploy-targets/kubernetes/README.md.
 */
export const kubernetesArtifactsSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('volume'),
    /** The PersistentVolumeClaim (in each environment's namespace) holding the versions' files. */
    claimName: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a PersistentVolumeClaim name'),
    /**
     * The sub-path of one version on the claim: `registry` when the claim is opsbot's data directory (the
     * version's directory from its registry entry, such as models/sentiment/j-abc123), or a template with
     * `{model}` and `{version}`, such as `{model}/v{version}`, for files laid out by a sync job.
     * @defaultValue `registry`
     */
    subPath: z
      .string()
      .refine((s) => s === 'registry' || (s.includes('{model}') && s.includes('{version}') && !s.split('/').includes('..') && !s.startsWith('/')), 'use "registry" or a relative template naming {model} and {version}')
      .default('registry'),
  }),
  z.object({
    mode: z.literal('http'),
    /** opsbot's artifact route as pods reach it, such as http://opsbot.opsbot-system.svc:3000/artifacts (no trailing slash). */
    url: z.string().url().refine((u) => !u.endsWith('/'), 'no trailing "/"'),
    /** The Secret (in each environment's namespace) holding the bearer token opsbot's route checks (OPSBOT_ARTIFACT_TOKEN). */
    tokenSecret: z.object({
      name: z.string().min(1),
      /** @defaultValue `token` */
      key: z.string().min(1).default('token'),
    }),
  }),
]);

/** The Kubernetes deploy target: where and how a model's two colours run in a cluster. */
export const kubernetesTargetSchema = z.object({
  /** A kubeconfig file; absent means KUBECONFIG, ~/.kube/config or the in-cluster service account. */
  kubeconfig: z.string().min(1).optional(),
  /** The kubeconfig context to use; absent means its current context. */
  context: z.string().min(1).optional(),
  /** Environment name → namespace; absent ones use `opsbot-<env>`. */
  namespaces: z.record(z.string(), z.string()).default({}),
  /**
   * Create a missing namespace (needs cluster-wide rights); off, a missing one fails the rollout saying so.
   * @defaultValue `false`
   */
  createNamespaces: z.boolean().default(false),
  /** The image that runs `opsbot serve-model` (and `opsbot fetch-artifact` for `artifacts.mode: http`). */
  image: z.string().min(1),
  /**
   * The image's opsbot executable; the manifests pass `serve-model …` (and `fetch-artifact …`) as its arguments.
   * @defaultValue `["opsbot"]`
   */
  command: z.array(z.string().min(1)).min(1).default(['opsbot']),
  /** @defaultValue `IfNotPresent` */
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).default('IfNotPresent'),
  /** Secrets for a private registry. */
  imagePullSecrets: z.array(z.string().min(1)).default([]),
  /** The pods' ServiceAccount; absent means the namespace's default (its token is never mounted: the server needs no API access). */
  serviceAccountName: z.string().min(1).optional(),
  /**
   * The non-root user the containers run as (the image's own user may be a name, which runAsNonRoot cannot check).
   * @defaultValue `10001`
   */
  runAsUser: z.number().int().min(1).default(10001),
  /** @defaultValue requests cpu 2 / memory 8Gi, limits cpu 4 / memory 16Gi */
  resources: containerResourcesSchema.default(DEFAULT_CONTAINER_RESOURCES),
  /**
   * The extended resource a model's `gpus` asks for.
   * @defaultValue `nvidia.com/gpu`
   */
  gpuResource: z.string().min(1).default('nvidia.com/gpu'),
  /** Per model: GPUs, resources, node placement. */
  models: z.record(z.string(), kubernetesModelSchema).default({}),
  nodeSelector: z.record(z.string(), z.string()).default({}),
  tolerations: z.array(tolerationSchema).default([]),
  /**
   * Seconds without progress before Kubernetes marks a rollout failed (ProgressDeadlineExceeded): image pulls and warm-up count.
   * @defaultValue `600`
   */
  progressDeadlineSeconds: z.number().int().min(30).max(7200).default(600),
  /**
   * CPU utilisation the HorizontalPodAutoscaler keeps, in percent of the request.
   * @defaultValue `70`
   */
  targetCpuUtilization: z.number().int().min(1).max(100).default(70),
  /** How pods get the version's files; absent means `volume` with claim `opsbot-models`. */
  artifacts: kubernetesArtifactsSchema.default({ mode: 'volume', claimName: 'opsbot-models', subPath: 'registry' }),
});
