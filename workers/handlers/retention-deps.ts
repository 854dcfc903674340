import { defaultConfig, type OpsbotConfig } from '../../core/index.js';
import type { RetentionDeps } from '../retention/model-retention.js';
import { configuredEnvironments } from './next-steps.js';
import type { HandlerDeps } from './handler-deps.js';

/** What the retention functions need from a handler's deps, with the default policy when none was configured. */
export function retentionOf(deps: HandlerDeps): RetentionDeps & { policy: OpsbotConfig['retention'] } {
  return { store: deps.store, dataDir: deps.dataDir, environments: configuredEnvironments(deps), policy: deps.retention ?? defaultConfig().retention };
}
