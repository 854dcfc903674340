import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { createAlertTriage, mountAlertmanagerReceiver } from '../../alerts/index.js';
import { grammarInterpreter } from '../../app/command-interpreter.js';
import { createSlackAdapter, type SlackAdapter, type SlackAdapterOptions } from '../../bot/slack/index.js';
import {
  BlueGreenDeployer,
  actionLimitsFrom,
  defaultConfig,
  Dispatcher,
  JobRelay,
  silentLogger,
  type CommandInterpreter,
  type DeployTarget,
  type DispatchResult,
  type IncomingCommand,
  type Logger,
  type OpsbotConfig,
} from '../../core/index.js';
import { openSqliteStateStore, type SqliteStateStore } from '../../store/index.js';
import { createJobRunner, InProcessJobQueue, newWorkerId } from '../../workers/index.js';
import { SlackApiFake } from './slack-api-fake.js';
import { InMemoryDeployTarget } from './in-memory-deploy-target.js';

export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

export interface SlackHarness {
  api: SlackApiFake;
  adapter: SlackAdapter;
  store: SqliteStateStore;
  relay: JobRelay;
  config: OpsbotConfig;
  /** The Slack Request URL on the test server. */
  eventsUrl: string;
  /** The test server's base URL (Alertmanager's receiver is at /alerts/alertmanager when alerts.receiverToken is set). */
  url: string;
  /** The triage threads and buttons, when the config has alerts.receiverToken (as the runtime wires them). */
  alertTriage?: ReturnType<typeof createAlertTriage>;
  /** Every command the dispatcher was handed, in order. */
  handled: IncomingCommand[];
  results: DispatchResult[];
  deployer: BlueGreenDeployer;
  close(): Promise<void>;
}

export interface SlackHarnessOptions {
  /** Commands reach the dispatcher only once this settles (a slow queue). */
  holdCommandsUntil?: Promise<unknown>;
  /** The store's audit appends wait for this (a slow database). */
  holdAuditUntil?: Promise<unknown>;
  /** Runs before the adapter starts (to make Slack fail or stall at start-up, say). */
  beforeStart?: (api: SlackApiFake) => void;
  adapter?: SlackAdapterOptions;
  configure?: (config: OpsbotConfig) => void;
  log?: Logger;
  /** The data directory (kept on close when given), e.g. one with a trained model's files. */
  dataDir?: string;
  /** How text becomes actions. @defaultValue the command grammar alone */
  interpreter?: (config: OpsbotConfig) => CommandInterpreter;
  /** Where jobs read datasets from. @defaultValue the data directory */
  workDir?: string;
  /** A deploy target for deploy, rollback and scale, and the approval cards. */
  deployTarget?: (store: SqliteStateStore, config: OpsbotConfig) => DeployTarget;
}

/**
 * The real thing, minus Slack: a Bolt app mounted on an express server on an ephemeral
 * port, the real Dispatcher with the in-process queue, the job runner and an in-memory
 * SQLite store, and the Web API fake behind `slackApiUrl`.
 */
export async function startSlackHarness(options: SlackHarnessOptions = {}): Promise<SlackHarness> {
  const api = await SlackApiFake.start();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'opsbot-slack-'));
  const config: OpsbotConfig = {
    ...defaultConfig(),
    dataDir,
    jobs: { ...defaultConfig().jobs, backoffMs: 50 },
    // These tests are about Slack, not roles: its users are admins unless a test's `configure` says otherwise.
    rbac: { ...defaultConfig().rbac, chatDefaultRoles: ['admin'] },
    slack: { signingSecret: SIGNING_SECRET, botToken: api.token, apiUrl: api.url },
  };
  options.configure?.(config);
  const log = options.log ?? silentLogger;
  const store = openSqliteStateStore(':memory:');
  const holdAudit = options.holdAuditUntil;
  if (holdAudit) {
    const append = store.audit.append.bind(store.audit);
    store.audit.append = async (entry) => {
      await holdAudit;
      return append(entry);
    };
  }
  const queue = new InProcessJobQueue({ attempts: config.jobs.attempts, backoffMs: config.jobs.backoffMs, concurrency: config.jobs.concurrency });
  // Without a target of its own, deployments act on one that serves nothing: most tests here are about Slack.
  const target = options.deployTarget?.(store, config) ?? new InMemoryDeployTarget();

  const handled: IncomingCommand[] = [];
  const results: DispatchResult[] = [];
  let dispatcher: Dispatcher | undefined;
  const adapter = createSlackAdapter(
    {
      config,
      log,
      audit: (entry) => store.audit.append(entry),
      handle: async (command) => {
        handled.push(command);
        await options.holdCommandsUntil;
        if (!dispatcher) throw new Error('dispatcher not wired');
        const result = await dispatcher.handle(command);
        results.push(result);
        return result;
      },
    },
    { retryConfig: { retries: 3, minTimeout: 50, maxTimeout: 200 }, ...options.adapter },
  );
  const deployer = new BlueGreenDeployer({ target, store, config, log, chat: adapter.chat });
  queue.startWorker(
    createJobRunner({ store, dataDir, workDir: options.workDir ?? dataDir, log, limits: actionLimitsFrom(config), environments: config.environments.map((e) => e.name), deployer }),
    newWorkerId(),
  );
  const alertTriage = createAlertTriage({ config, store, chat: adapter.chat, log });
  dispatcher = new Dispatcher({ config, store, queue, chat: adapter.chat, interpret: (options.interpreter ?? grammarInterpreter)(config), log, deployer, alerts: alertTriage?.commands });
  const relay = new JobRelay({ queue, jobs: store.jobs, chat: adapter.chat, log });
  relay.start();

  const app = express();
  adapter.mount(app);
  // After the adapter's routes, as the bot server mounts it.
  if (alertTriage?.token) mountAlertmanagerReceiver(app, { token: alertTriage.token, triage: alertTriage.triage, log });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  options.beforeStart?.(api);
  await adapter.start();
  const { port } = server.address() as AddressInfo;

  return {
    api,
    adapter,
    store,
    relay,
    config,
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    url: `http://127.0.0.1:${port}`,
    alertTriage,
    handled,
    results,
    deployer,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await adapter.stop();
      relay.stop();
      await queue.close();
      await relay.settled();
      await target.close();
      await store.close();
      await api.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
