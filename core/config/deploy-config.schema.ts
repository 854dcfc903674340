import { z } from 'zod';
import { kubernetesTargetSchema } from './kubernetes-target.schema.js';
import { localTargetSchema } from './local-target.schema.js';

/** Where deploy, rollback and scale act, and how long a replaced colour stays warm for an instant rollback. */
export const deployConfigSchema = z
  .object({
    /**
     * `local`: model-server processes on this machine; `kubernetes`: Deployments and Services in a cluster.
     * @defaultValue `local`
     */
    target: z.enum(['local', 'kubernetes']).default('local'),
    /**
     * Minutes the colour that stopped serving keeps running after a promotion, so a rollback inside them is instant.
     * @defaultValue `10`
     */
    warmMinutes: z.number().min(0).max(1440).default(10),
    /**
     * Minutes a rollout may take before it fails (the live colour is untouched).
     * @defaultValue `10`
     */
    rolloutTimeoutMinutes: z.number().min(0.1).max(120).default(10),
    local: localTargetSchema,
    kubernetes: kubernetesTargetSchema.optional(),
    /** The bearer token of the `/artifacts` route pods download versions from (`deploy.kubernetes.artifacts.mode: http`). */
    artifactToken: z.string().min(32, 'OPSBOT_ARTIFACT_TOKEN must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  })
  .refine((deploy) => deploy.target !== 'kubernetes' || deploy.kubernetes !== undefined, {
    error: 'deploy.target is "kubernetes" but deploy.kubernetes is missing: set at least deploy.kubernetes.image (the image that runs opsbot serve-model)',
    path: ['kubernetes'],
  })
  .refine((deploy) => deploy.target !== 'kubernetes' || deploy.kubernetes?.artifacts.mode !== 'http' || deploy.artifactToken !== undefined, {
    error: 'deploy.kubernetes.artifacts.mode is "http", so pods download versions from opsbot: set OPSBOT_ARTIFACT_TOKEN (the same value as the Secret deploy.kubernetes.artifacts.tokenSecret names)',
    path: ['artifactToken'],
  });

export type DeployConfig = z.infer<typeof deployConfigSchema>;
export type KubernetesTargetConfig = z.infer<typeof kubernetesTargetSchema>;
export type LocalTargetConfig = z.infer<typeof localTargetSchema>;
