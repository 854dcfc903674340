import type { Redis } from 'ioredis';
import {
  BlueGreenDeployer,
  Dispatcher,
  JobRelay,
  reconcileOrphanedJobs,
  type ChatPort,
  type ConversationRef,
  type JobQueue,
  type JobRecord,
  type Logger,
  type OpsbotConfig,
  type StateStore,
} from '../core/index.js';
// Not workers/index.js: that barrel loads BullMQ and ioredis, which only REDIS_URL needs (imported below then).
import { VegaChartRenderer } from '../workers/charts/index.js';
import { InProcessJobQueue } from '../workers/in-process/in-process-job-queue.js';
import { EmbeddedQueueLock } from './embedded-queue-lock.js';
import { createJobRunner } from '../workers/job-runner.js';
import { newWorkerId } from '../workers/worker-id.js';
import { discardJobFiles } from '../workers/handlers/discard-job-files.js';
import { datasetCheck } from '../workers/training/dataset/dataset-check.js';
import { botInterpreter } from './command-interpreter.js';
import { openStateStore } from './open-state-store.js';
import { createDeployTarget } from './deploy-target.js';
import { DEPLOYMENT_KINDS } from './deployment-kinds.js';
import { bullmqWorkerSettings, jobRunnerDeps } from './job-runner-settings.js';
import type { WorkerCapacity } from '../core/queue/queue-counts.js';
import { OpsbotMetrics, registerStateGauges, timedProcessor } from './metrics/index.js';
import { createAlertTriage } from '../alerts/create-alert-triage.js';
import type { EmbeddedRuleEvaluator } from '../monitoring/evaluator/index.js';
import { evaluatesAlertRules, startEmbeddedEvaluator } from './embedded-alerts.js';

const DAY_MS = 24 * 3600 * 1000;
/** How often expired approvals and idle colours past their warm window are settled. */
const DEPLOYMENT_SWEEP_MS = 2000;


export interface OpsbotRuntime {
  config: OpsbotConfig;
  store: StateStore;
  queue: JobQueue;
  dispatcher: Dispatcher;
  relay: JobRelay;
  /** `in-process` (embedded default) or `bullmq` (REDIS_URL set, jobs run by `opsbot worker` processes). */
  mode: 'in-process' | 'bullmq';
  /** The BullMQ connection when REDIS_URL is set, for readiness. */
  redis?: Redis;
  deployer: BlueGreenDeployer;
  /** This process's Prometheus registry, served on the HTTP server's /metrics. */
  metrics: OpsbotMetrics;
  /** The triage threads, when the Alertmanager receiver (alerts.receiverToken; bot-server mounts its route) or the embedded evaluator sends alerts. */
  alertTriage?: ReturnType<typeof createAlertTriage>;
  /** opsbot's own evaluation of the alert rules (embedded default, local target). */
  alertEvaluator?: EmbeddedRuleEvaluator;
  close(): Promise<void>;
}

/** Wires the bot: store, queue driver chosen by config, dispatcher and relay, audit retention. */
export async function createOpsbotRuntime(options: {
  config: OpsbotConfig;
  chat: ChatPort;
  log: Logger;
  workDir: string;
  metrics?: OpsbotMetrics;
  /** Where alert groups go when `alerts.routes` is empty (the playground or terminal). */
  defaultAlertConversation?: ConversationRef;
}): Promise<OpsbotRuntime> {
  const { config, chat, log, workDir } = options;
  // One registry per process, never prom-client's global one.
  const metrics = options.metrics ?? new OpsbotMetrics();
  // Before anything runs: a second process on this data directory's embedded queue would settle the first one's live jobs.
  const lock = config.redisUrl ? undefined : EmbeddedQueueLock.take(config.dataDir);
  const store = await openStateStore(config, log);
  const target = await createDeployTarget(config, log, store);
  const deployer = new BlueGreenDeployer({ target, store, config, log, chat });
  const runnerDeps = jobRunnerDeps(config, { store, workDir, log, deployer });
  let queue: JobQueue;
  let deploymentWorker: Promise<{ close(): Promise<void>; capacity?(): WorkerCapacity } | undefined> | undefined;
  let closing = false;
  let redis: Redis | undefined;
  let embedded: InProcessJobQueue | undefined;
  if (config.redisUrl) {
    const [{ connectRedis }, { BullmqJobQueue }] = await Promise.all([import('../workers/bullmq/redis-connection.js'), import('../workers/bullmq/bullmq-job-queue.js')]);
    redis = connectRedis(config.redisUrl, log);
    const bullmq = new BullmqJobQueue({ connection: redis, prefix: config.queuePrefix, attempts: config.jobs.attempts, backoffMs: config.jobs.backoffMs, log });
    // Not awaited: with Redis away the bot still starts, and the queue refuses jobs saying why until Redis answers.
    bullmq.listen().catch((error: unknown) => log.error({ err: error }, 'could not listen to the job queues'));
    queue = bullmq;
    if (config.deploy.target === 'local') {
      // The local target's model servers are this process's children, so its deployments run here, not on `opsbot worker`s.
      const { startBullmqWorker } = await import('../workers/bullmq/bullmq-job-worker.js');
      // Not awaited, like listen(): with Redis away the bot still starts, and the worker starts once Redis answers
      // (started before, its connections would retry forever and keep the process from exiting).
      const connection = redis;
      const ready = connection.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => connection.once('ready', () => resolve()));
      deploymentWorker = ready.then(() => (closing ? undefined : startBullmqWorker({
        ...bullmqWorkerSettings(config),
        connection,
        workerId: `${newWorkerId()}-deploy`,
        processor: timedProcessor(createJobRunner(runnerDeps), metrics),
        log,
        kinds: [...DEPLOYMENT_KINDS],
        gpus: [],
      }))).catch((error: unknown) => {
        log.error({ err: error }, 'could not start the worker for deploy, rollback and scale');
        return undefined;
      });
    }
  } else {
    const inProcess = new InProcessJobQueue({ attempts: config.jobs.attempts, backoffMs: config.jobs.backoffMs, concurrency: config.jobs.concurrency });
    inProcess.startWorker(timedProcessor(createJobRunner(runnerDeps), metrics), newWorkerId());
    queue = embedded = inProcess;
  }
  // One renderer for the relay (curves and confusion matrices after jobs) and `curve`; vega loads on first use.
  const charts = new VegaChartRenderer();
  // The embedded worker reads datasets from this directory, so a path it could not read is refused before queueing;
  // BullMQ workers may run elsewhere, with files the bot cannot see, and check for themselves.
  const datasets = redis ? undefined : datasetCheck(workDir);
  // The LLM's prompt names the registry's models; refreshed as commands arrive.
  let knownModels: readonly string[] = await store.registry.listModels();
  const refreshModels = () => void store.registry.listModels().then((models) => (knownModels = models), () => undefined);
  const modelsTimer = setInterval(refreshModels, 30_000);
  modelsTimer.unref();
  const discardFiles = (job: JobRecord) => discardJobFiles({ dataDir: config.dataDir, store }, job);
  const embeddedAlerts = evaluatesAlertRules(config, log);
  const alertTriage = createAlertTriage({ config, store, chat, log, embeddedAlerts, defaultConversation: options.defaultAlertConversation });
  const dispatcher = new Dispatcher({ config, store, queue, chat, interpret: await botInterpreter(config, () => knownModels), log, charts, datasets, discardJobFiles: discardFiles, deployer, metrics, alerts: alertTriage?.commands });
  // The embedded queue's worker, or the one taking deploy, rollback and scale here once Redis answers.
  let startedWorker: { capacity?(): WorkerCapacity } | undefined = embedded;
  void deploymentWorker?.then((worker) => (startedWorker = worker));
  registerStateGauges(metrics, { queue, blueGreen: store.blueGreen, alertGroups: store.alertGroups, capacity: embedded || deploymentWorker ? () => startedWorker?.capacity?.() : undefined });
  const relay = new JobRelay({ queue, jobs: store.jobs, chat, log, charts });
  relay.start();
  // The embedded queue's jobs lived in the last process's memory: settle the ones it left queued or running.
  if (embedded) {
    const requeue = embedded.requeue.bind(embedded);
    await reconcileOrphanedJobs({
      jobs: store.jobs,
      audit: store.audit,
      chat,
      log,
      requeue,
      discardFiles,
      maxAttempts: config.jobs.attempts,
    });
  }

  // What served before this process started serves again; a deployment cut off mid-way is finished or failed.
  await deployer.restore().catch((error: unknown) => log.error({ err: error }, 'could not restore what the deploy target served'));
  const sweep = setInterval(() => void deployer.sweep().catch((error: unknown) => log.error({ err: error }, 'the deployment sweep failed')), DEPLOYMENT_SWEEP_MS);
  sweep.unref();

  const prune = () =>
    store.audit
      .prune(new Date(Date.now() - config.audit.retentionDays * DAY_MS))
      .then((removed) => removed > 0 && log.info({ removed }, 'pruned audit records past retention'))
      .catch((error: unknown) => log.error({ err: error }, 'audit pruning failed'));
  await prune();
  const pruneTimer = setInterval(prune, DAY_MS);
  pruneTimer.unref();
  // After restore(): the first evaluation then finds the model servers serving again.
  const alertEvaluator = embeddedAlerts && alertTriage ? startEmbeddedEvaluator({ config, store, triage: alertTriage.triage, log }) : undefined;

  return {
    config,
    store,
    queue,
    dispatcher,
    relay,
    mode: redis ? 'bullmq' : 'in-process',
    redis,
    deployer,
    metrics,
    alertTriage,
    alertEvaluator,
    async close() {
      closing = true;
      await alertEvaluator?.stop();
      clearInterval(pruneTimer);
      clearInterval(sweep);
      clearInterval(modelsTimer);
      relay.stop();
      // One still waiting for Redis has nothing running to finish.
      const worker = deploymentWorker && (await Promise.race([deploymentWorker, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000).unref())]));
      await worker?.close();
      await queue.close();
      await relay.settled();
      redis?.disconnect();
      await target.close();
      await store.close();
      lock?.release();
    },
  };
}
