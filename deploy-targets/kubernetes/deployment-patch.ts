import type { V1Deployment } from '@kubernetes/client-node';
import { nullsForRemoved, removedMapKeys } from './apply.js';
import { JOB_ANNOTATION } from './object-names.js';

/** Optional pod-spec fields opsbot sets or leaves out, depending on the configuration. */
const OWNED_POD_FIELDS = ['initContainers', 'nodeSelector', 'tolerations', 'imagePullSecrets', 'serviceAccountName'] as const;

/**
 * The merge patch from a Deployment as it is to the one opsbot wants: the whole desired object (lists such as
 * containers and volumes are replaced whole, so a dropped GPU limit or init container goes), plus nulls for what
 * the configuration no longer sets, which a merge patch would otherwise keep. Fields others own (annotations of
 * kubectl or Argo CD, labels they added) are left alone.
 */
export function deploymentPatch(current: V1Deployment, desired: V1Deployment): object {
  const havePod = current.spec?.template?.spec;
  const wantPod = desired.spec?.template?.spec;
  const nodeSelector = wantPod?.nodeSelector && havePod?.nodeSelector ? { ...removedMapKeys(havePod.nodeSelector, wantPod.nodeSelector), ...wantPod.nodeSelector } : wantPod?.nodeSelector;
  const jobGone = current.metadata?.annotations?.[JOB_ANNOTATION] !== undefined && desired.metadata?.annotations?.[JOB_ANNOTATION] === undefined;
  return {
    ...desired,
    metadata: { ...desired.metadata, ...(jobGone ? { annotations: { ...desired.metadata?.annotations, [JOB_ANNOTATION]: null } } : {}) },
    spec: {
      ...desired.spec,
      template: {
        ...desired.spec?.template,
        spec: { ...wantPod, ...nullsForRemoved(havePod, wantPod, OWNED_POD_FIELDS), ...(nodeSelector ? { nodeSelector } : {}) },
      },
    },
  };
}
