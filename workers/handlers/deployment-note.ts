/** Said in every deployment reply until a deploy target exists, so nobody mistakes a record for a rollout. */
export const NO_DEPLOY_TARGET_NOTE =
  'No deploy target is implemented yet, so this was recorded as the desired state only: nothing was started, stopped or resized.';
