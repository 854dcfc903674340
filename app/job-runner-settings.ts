import { actionLimitsFrom, type ActionLimits, type BlueGreenDeployer, type Logger, type OpsbotConfig, type StateStore } from '../core/index.js';
import type { HandlerDeps } from '../workers/handlers/handler-deps.js';

/** What every job runner of this process gets from the config: the bot's embedded or deploy worker, and `opsbot worker`. */
export function jobRunnerDeps(
  config: OpsbotConfig,
  parts: { store: StateStore; workDir: string; log: Logger; deployer?: BlueGreenDeployer },
): HandlerDeps & { limits: ActionLimits } {
  return {
    ...parts,
    dataDir: config.dataDir,
    limits: actionLimitsFrom(config),
    environments: config.environments.map((e) => e.name),
    models: config.models,
    retention: config.retention,
  };
}

/** The BullMQ worker settings the config fixes, the same for the bot's deploy worker and `opsbot worker`. */
export function bullmqWorkerSettings(config: OpsbotConfig) {
  return {
    prefix: config.queuePrefix,
    concurrency: config.jobs.concurrency,
    lockDurationMs: config.jobs.lockDurationMs,
    stalledIntervalMs: config.jobs.stalledIntervalMs,
    retryPolicy: { attempts: config.jobs.attempts, backoffMs: config.jobs.backoffMs },
  };
}
