import { BlueGreenDeployer, ConfigError, InvalidInputError, JOB_ACTIONS, type JobActionName, type JobWorker, type LoadedConfig } from '../core/index.js';
import { createDeployTarget } from './deploy-target.js';
import { DEPLOYMENT_KINDS } from './deployment-kinds.js';
import { bullmqWorkerSettings, jobRunnerDeps } from './job-runner-settings.js';
import { discoverGpus } from '../workers/gpu/discover-gpus.js';
import { connectRedis, createJobRunner, newWorkerId, startBullmqWorker } from '../workers/index.js';
import { createLogger } from './logger.js';
import { openStateStore } from './open-state-store.js';
import { OpsbotMetrics, registerStateGauges, startWorkerMetricsServer, timedProcessor } from './metrics/index.js';

/** `opsbot worker`: takes jobs from the BullMQ queues until SIGTERM/SIGINT, then finishes cleanly. */
export async function startWorker(loaded: LoadedConfig, options: { queues?: string } = {}): Promise<void> {
  const { config } = loaded;
  if (!config.redisUrl) {
    throw new ConfigError([
      'REDIS_URL: `opsbot worker` takes jobs from Redis, so set REDIS_URL (e.g. redis://127.0.0.1:6379). Without it, `opsbot start` runs jobs in its own process.',
    ]);
  }
  const asked = parseQueues(options.queues);
  const localTarget = config.deploy.target === 'local';
  const deploymentKinds: readonly string[] = DEPLOYMENT_KINDS;
  if (localTarget && asked?.some((kind) => deploymentKinds.includes(kind))) {
    throw new ConfigError([
      `--queues: with deploy.target "local" the model servers run beside the bot, so ${DEPLOYMENT_KINDS.join(', ')} jobs run in the bot process (opsbot serve/start), not on a worker; leave them out, or set deploy.target to "kubernetes"`,
    ]);
  }
  // With the local target, the bot takes deploy, rollback and scale itself; a worker takes the rest.
  const kinds = asked ?? (localTarget ? JOB_ACTIONS.filter((kind) => !deploymentKinds.includes(kind)) : undefined);
  const log = createLogger(config, 'stdout');
  for (const warning of loaded.warnings) log.warn({}, warning);
  // Before anything opens: a wrong OPSBOT_GPUS stops the worker with a clear message.
  const gpus = await discoverGpus();
  if (gpus.warning) log.warn({}, gpus.warning);
  const store = await openStateStore(config, log);
  const target = localTarget ? undefined : await createDeployTarget(config, log, store);
  // No chat here: the bot posts the approval cards this worker's deploy jobs ask for.
  const deployer = target ? new BlueGreenDeployer({ target, store, config, log }) : undefined;
  // One registry for this process: its jobs, slots and GPUs, on a loopback listener when OPSBOT_WORKER_METRICS_PORT is set.
  const metrics = new OpsbotMetrics();
  let started: JobWorker | undefined;
  registerStateGauges(metrics, { capacity: () => started?.capacity?.() });
  // Before any job is taken: a port already in use stops the worker with a clear message.
  const metricsPort = config.metrics?.workerPort;
  const metricsServer = metricsPort
    ? await startWorkerMetricsServer({ metrics, port: metricsPort, host: config.metrics?.workerHost ?? '127.0.0.1', token: config.metrics?.token, log })
    : undefined;
  const connection = connectRedis(config.redisUrl, log);
  const workerId = process.env.OPSBOT_WORKER_ID || newWorkerId();
  const worker = await startBullmqWorker({
    ...bullmqWorkerSettings(config),
    connection,
    workerId,
    processor: timedProcessor(createJobRunner(jobRunnerDeps(config, { store, workDir: process.cwd(), log, deployer })), metrics),
    log,
    kinds,
    gpus: gpus.devices,
  });
  started = worker;
  log.info(
    { workerId, queuePrefix: config.queuePrefix, queues: kinds ?? JOB_ACTIONS, gpus: gpus.nvidiaSmi ?? gpus.devices, gpuSource: gpus.source },
    'opsbot worker ready',
  );

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  log.info({ workerId }, 'opsbot worker stopping; waiting for running jobs');
  await worker.close();
  await metricsServer?.close();
  connection.disconnect();
  await target?.close();
  await store.close();
}

/** `--queues train,evaluate` → the job kinds this worker takes; absent means all. */
function parseQueues(queues: string | undefined): JobActionName[] | undefined {
  if (queues === undefined) return undefined;
  const names = queues.split(',').map((q) => q.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(JOB_ACTIONS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new InvalidInputError(`--queues takes a comma-separated list of ${JOB_ACTIONS.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`);
  }
  return names as JobActionName[];
}
