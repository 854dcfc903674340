import { z } from 'zod';

/** The Kubernetes deploy target (filled in with the adapter: namespaces, image, resources, artifacts). */
export const kubernetesTargetSchema = z.object({
  /** A kubeconfig file; absent means KUBECONFIG, ~/.kube/config or the in-cluster service account. */
  kubeconfig: z.string().min(1).optional(),
  /** Environment name → namespace; absent ones use `opsbot-<env>`. */
  namespaces: z.record(z.string(), z.string()).default({}),
  /** The image that runs `opsbot serve-model`. */
  image: z.string().min(1),
});
