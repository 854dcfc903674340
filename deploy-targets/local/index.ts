/**
 * The local deploy target: `opsbot serve-model` processes per model, environment and colour on
 * this machine, behind a loopback router per slot (the stable endpoint: live colour) and a
 * preview router (the idle colour), each on its own port kept across restarts.
 */
export { LocalDeployTarget, type LocalDeployTargetOptions } from './local-deploy-target.js';
export { defaultServeModelCommand, type ServeModelCommand } from './serve-model-command.js';
export { DEFAULT_BACKOFF, type BackoffPolicy } from './restart-backoff.js';
export { servingReplicas } from './serving-replicas.js';
