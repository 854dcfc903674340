import { PermanentJobError, type BlueGreenDeployer } from '../../core/index.js';
import type { HandlerDeps } from './handler-deps.js';

/** The deployer this worker acts through; a worker built without one cannot serve models. */
export function deployerOf(deps: HandlerDeps): BlueGreenDeployer {
  if (!deps.deployer) {
    throw new PermanentJobError('this worker has no deploy target, so it cannot deploy, roll back or scale; run deployments on the opsbot process (local target) or give workers a Kubernetes target (deploy.target)');
  }
  return deps.deployer;
}
