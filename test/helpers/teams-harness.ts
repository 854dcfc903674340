import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAlertTriage, mountAlertmanagerReceiver } from '../../alerts/index.js';
import { grammarInterpreter } from '../../app/command-interpreter.js';
import { readinessChecks } from '../../app/health/index.js';
import { startHttpServer, type RunningHttpServer } from '../../app/http-server.js';
import { createTeamsAdapter } from '../../bot/teams/index.js';
import type { ChatAdapter } from '../../bot/index.js';
import {
  BlueGreenDeployer,
  Dispatcher,
  JobRelay,
  actionLimitsFrom,
  defaultConfig,
  silentLogger,
  type ChartRenderer,
  type CommandInterpreter,
  type DispatchResult,
  type IncomingCommand,
  type OpsbotConfig,
  type StateStore,
} from '../../core/index.js';
import { openSqliteStateStore } from '../../store/index.js';
import { InProcessJobQueue, createJobRunner, newWorkerId } from '../../workers/index.js';
import { InMemoryDeployTarget } from './in-memory-deploy-target.js';
import { TEAMS_APP_ID } from './teams-activities.js';
import { startTeamsAuthFake, type TeamsAuthFake } from './teams-auth-fake.js';
import { TEAMS_CLIENT_SECRET, startTeamsConnectorFake, type TeamsConnectorFake } from './teams-connector-fake.js';
import { freePort } from './free-port.js';

export interface TeamsHarness {
  /** The bot's base URL; activities go to `${url}/api/messages`, and /readyz checks the store and Teams. */
  url: string;
  config: OpsbotConfig;
  store: StateStore;
  connector: TeamsConnectorFake;
  /** Absent in emulator mode. */
  auth?: TeamsAuthFake;
  adapter: ChatAdapter;
  relay: JobRelay;
  /** Runs deploy, rollback and scale jobs and takes Promote/Reject votes, on `target`. */
  deployer: BlueGreenDeployer;
  /** Serves nothing; records rollouts and switches (`target.calls`). */
  target: InMemoryDeployTarget;
  /** Every command that reached the dispatcher. */
  handled: IncomingCommand[];
  /** The triage threads and buttons, when the config has alerts.receiverToken; the receiver is at `${url}/alerts/alertmanager`. */
  alertTriage?: ReturnType<typeof createAlertTriage>;
  workDir: string;
  /** Registers a model version directly, so deploy commands have something to deploy without training. */
  seedVersion(model: string): Promise<void>;
  /** POSTs an activity; `token` undefined sends a valid channel token when auth is on, null sends none. */
  send(activity: Record<string, unknown>, token?: string | null): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The real thing, offline: CloudAdapter on the shared express server, the core Dispatcher with
 * the in-process queue and in-memory SQLite, a connector fake at the serviceUrl, and (with an app
 * id) a fake token authority so inbound JWTs and outbound tokens are checked for real.
 */
export async function startTeamsHarness(
  options: {
    emulator?: boolean;
    /** Sets OPSBOT_PUBLIC_URL to the bot's own address, so cards show hosted images from it. */
    publicUrl?: boolean;
    /** Charts for completed jobs and `curve`; none by default. */
    charts?: ChartRenderer;
    /**
     * `msal`: outbound tokens the way production gets them (botbuilder's MSAL client, Azure AD's
     * URLs answered by the connector fake); `login-url` (default): TeamsAdapterOptions.loginUrl.
     */
    outboundAuth?: 'msal' | 'login-url';
    /** A SingleTenant app in this tenant instead of a MultiTenant one. */
    tenantId?: string;
    /** The bot's app id (TEAMS_APP_ID by default); botbuilder caches outbound tokens per app id for the whole process. */
    appId?: string;
    /** The bot's client secret; the fake token endpoint refuses any but TEAMS_CLIENT_SECRET (the default). */
    appPassword?: string;
    /** How text becomes actions. @defaultValue the command grammar alone */
    interpreter?: (config: OpsbotConfig) => CommandInterpreter;
    /** Changes the config before anything is built from it (RBAC users, environments). */
    configure?: (config: OpsbotConfig) => void;
    /** Sets teams.serviceUrl to the connector fake, so opsbot can post where it was never spoken to. */
    serviceUrl?: boolean;
  } = {},
): Promise<TeamsHarness> {
  const workDir = mkdtempSync(join(tmpdir(), 'opsbot-teams-'));
  const appId = options.appId ?? TEAMS_APP_ID;
  const connector = await startTeamsConnectorFake();
  const auth = options.emulator ? undefined : await startTeamsAuthFake();
  // The public URL must be known before the server listens, so its port is picked first.
  const port = options.publicUrl ? await freePort() : 0;
  const config: OpsbotConfig = {
    ...defaultConfig(),
    dataDir: join(workDir, 'state'),
    logLevel: 'silent',
    http: { port, host: '127.0.0.1', ...(options.publicUrl ? { publicUrl: `http://127.0.0.1:${port}` } : {}) },
    jobs: { ...defaultConfig().jobs, backoffMs: 50 },
    // These tests are about Teams, not roles: its users are admins.
    rbac: { ...defaultConfig().rbac, chatDefaultRoles: ['admin'] },
    teams: options.emulator
      ? { appId: '', appType: 'MultiTenant', emulator: true }
      : {
          appId,
          appPassword: options.appPassword ?? TEAMS_CLIENT_SECRET,
          ...(options.tenantId ? { appType: 'SingleTenant' as const, tenantId: options.tenantId } : { appType: 'MultiTenant' as const }),
          emulator: false,
          openIdMetadataUrl: auth?.metadataUrl,
          ...(options.serviceUrl ? { serviceUrl: connector.serviceUrl } : {}),
        },
  };
  options.configure?.(config);
  const store = openSqliteStateStore(':memory:');
  const queue = new InProcessJobQueue({ attempts: config.jobs.attempts, backoffMs: config.jobs.backoffMs, concurrency: config.jobs.concurrency });
  // Deployments act on a target that serves nothing: these tests are about Teams, not serving.
  const target = new InMemoryDeployTarget();

  const handled: IncomingCommand[] = [];
  let dispatcher: Dispatcher | undefined;
  const handle = (command: IncomingCommand): Promise<DispatchResult> => {
    handled.push(command);
    if (!dispatcher) throw new Error('dispatcher not ready');
    return dispatcher.handle(command);
  };
  const outbound = options.outboundAuth === 'msal' ? { msalNetwork: connector.msalNetwork } : { loginUrl: connector.loginUrl };
  const adapter = createTeamsAdapter({ config, handle, log: silentLogger }, { ...outbound, invokeWaitMs: 5_000 });
  const { charts } = options;
  const deployer = new BlueGreenDeployer({ target, store, config, log: silentLogger, chat: adapter.chat });
  queue.startWorker(createJobRunner({ store, dataDir: config.dataDir, workDir, log: silentLogger, limits: actionLimitsFrom(config), deployer }), newWorkerId());
  const alertTriage = createAlertTriage({ config, store, chat: adapter.chat, log: silentLogger });
  dispatcher = new Dispatcher({ config, store, queue, chat: adapter.chat, interpret: (options.interpreter ?? grammarInterpreter)(config), log: silentLogger, charts, deployer, alerts: alertTriage?.commands });
  const relay = new JobRelay({ queue, jobs: store.jobs, chat: adapter.chat, log: silentLogger, charts }, 50);
  relay.start();
  const server: RunningHttpServer = await startHttpServer(config, [adapter], silentLogger, {
    readiness: readinessChecks({ store, adapters: [adapter] }),
    // As the bot server mounts it, on the same server as the adapter.
    routes: alertTriage?.token ? (app) => mountAlertmanagerReceiver(app, { token: alertTriage.token!, triage: alertTriage.triage, log: silentLogger }) : undefined,
  });

  return {
    url: server.url,
    config,
    store,
    connector,
    auth,
    adapter,
    relay,
    deployer,
    target,
    handled,
    alertTriage,
    workDir,
    async seedVersion(model) {
      await store.registry.registerVersion({
        model,
        createdBy: 'teams:test:seed',
        jobId: `j-seed-${model}`,
        dataset: `${model}.csv`,
        datasetHash: 'seed',
        metrics: { val_accuracy: 0.9 },
        params: {},
        artifactPath: `models/${model}/v1`,
      });
    },
    async send(activity, token) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const bearer = token === undefined ? auth?.token(appId, String(activity.serviceUrl)) : token;
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      return fetch(`${server.url}/api/messages`, { method: 'POST', headers, body: JSON.stringify(activity) });
    },
    async close() {
      await server.close();
      await adapter.stop();
      relay.stop();
      await queue.close();
      await relay.settled();
      await store.close();
      await connector.close();
      await auth?.close();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

