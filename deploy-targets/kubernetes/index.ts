/**
 * The Kubernetes deploy target: per model and environment, Deployments `<model>-blue` and `<model>-green`,
 * Services `<model>` (live colour) and `<model>-preview` (idle colour), an HPA per autoscaled colour.
 * See README.md beside this file for the objects, the artifact modes and the RBAC opsbot needs.
 */
export { KubernetesDeployTarget, type KubernetesDeployTargetOptions } from './kubernetes-deploy-target.js';
export { loadKubeConfig } from './kubeconfig.js';
export { deploymentManifest, hpaManifest, serviceManifest, servingManifests, MODEL_DIR, ARTIFACT_TOKEN_ENV, type ColourManifestInput } from './manifests.js';
export { artifactDownloadHandler, type ArtifactRouteOptions } from './artifact-route.js';
export { KubernetesApiError } from './kubernetes-api-error.js';
