// Not bot/index.js: that barrel loads Bolt and botbuilder, which only a configured Slack or Teams needs.
import type { Express } from 'express';
import type { ChatAdapter } from '../bot/chat-adapter.js';
import { LOCAL_CONVERSATION, LocalWorkspace } from '../bot/local/index.js';
import { createPlaygroundAdapter, PLAYGROUND_CONVERSATION, resolvePlaygroundAccess, type PlaygroundAccess } from '../bot/playground/index.js';
import { ChatRouter, type Identity, type Logger, type OpsbotConfig } from '../core/index.js';
import { mountAlertmanagerReceiver } from '../alerts/receiver-route.js';
import { readinessChecks } from './health/index.js';
import { startHttpServer, type RunningHttpServer } from './http-server.js';
import { createOpsbotRuntime, type OpsbotRuntime } from './runtime.js';

export interface BotServer {
  runtime: OpsbotRuntime;
  /** The local chat platform (terminal and playground). */
  workspace: LocalWorkspace;
  adapters: ChatAdapter[];
  /** Present when the playground is on: its access token, for the start-up banner. */
  playgroundAccess?: PlaygroundAccess;
  http?: RunningHttpServer;
  stop(): Promise<void>;
}

/**
 * Wires the bot with every chat platform the config names: the local workspace always,
 * the playground, Slack and Teams on one HTTP server. Adapters and the dispatcher need
 * each other, so adapters reach the dispatcher through a closure.
 */
export async function startBotServer(options: {
  config: OpsbotConfig;
  log: Logger;
  workDir: string;
  /** Who the playground's user is. */
  localUser: Identity;
  /** A taken default port falls back to a free one (local use), never an explicit PORT. */
  fallbackToFreePort: boolean;
}): Promise<BotServer> {
  const { config, log } = options;
  // First, so an exposed playground is refused before anything opens.
  const playgroundAccess = config.playground.enabled ? resolvePlaygroundAccess(config) : undefined;
  const workspace = new LocalWorkspace();
  const router = new ChatRouter();
  router.register('local', workspace);
  let runtime: OpsbotRuntime | undefined;
  const context = {
    config,
    log,
    handle: (command: Parameters<OpsbotRuntime['dispatcher']['handle']>[0]) => {
      if (!runtime) throw new Error('opsbot is still starting');
      return runtime.dispatcher.handle(command);
    },
    audit: (entry: Parameters<OpsbotRuntime['store']['audit']['append']>[0]) => {
      if (!runtime) throw new Error('opsbot is still starting');
      return runtime.store.audit.append(entry);
    },
  };
  const adapters: ChatAdapter[] = [];
  if (playgroundAccess) adapters.push(createPlaygroundAdapter(context, workspace, options.localUser, { access: playgroundAccess }));
  if (config.slack) adapters.push((await import('../bot/slack/index.js')).createSlackAdapter(context));
  if (config.teams) adapters.push((await import('../bot/teams/index.js')).createTeamsAdapter(context));
  for (const adapter of adapters) if (adapter.platform !== 'local') router.register(adapter.platform, adapter.chat);

  // With no alerts.routes, alert groups go where the embedded default's user reads: the playground, else the terminal.
  const defaultAlertConversation = config.playground.enabled ? PLAYGROUND_CONVERSATION : LOCAL_CONVERSATION;
  if ((config.alerts?.rules.length || config.alerts?.receiverToken) && !config.alerts.routes.length && (config.slack || config.teams)) {
    log.warn({}, 'alerts.routes is empty: alert groups are posted in the local playground/terminal only; add routes to post them in Slack or Teams');
  }
  runtime = await createOpsbotRuntime({ config, chat: router, log, workDir: options.workDir, defaultAlertConversation });
  const started = runtime;
  let http: RunningHttpServer | undefined;
  try {
    const readiness = readinessChecks({ store: started.store, redis: started.redis, adapters });
    const artifacts = await artifactRoutes(config, started, log);
    const alerts = started.alertTriage;
    const routes =
      artifacts || alerts?.token
        ? (app: Express) => {
            artifacts?.(app);
            if (alerts?.token) mountAlertmanagerReceiver(app, { token: alerts.token, triage: alerts.triage, log });
          }
        : undefined;
    http = adapters.length > 0 || routes ? await startHttpServer(config, adapters, log, { fallbackToFreePort: options.fallbackToFreePort, readiness, routes, metrics: started.metrics }) : undefined;
    for (const adapter of adapters) await adapter.start();
  } catch (error) {
    await http?.close();
    await started.close();
    throw error;
  }
  return {
    runtime: started,
    workspace,
    adapters,
    playgroundAccess,
    http,
    async stop() {
      // Adapters first, so commands already received finish before the queue closes.
      for (const adapter of adapters) await adapter.stop();
      await http?.close();
      await started.close();
    },
  };
}

/** Pods download versions from `/artifacts` when the Kubernetes target's artifacts come over HTTP (deploy-targets/kubernetes/README.md). */
async function artifactRoutes(config: OpsbotConfig, runtime: OpsbotRuntime, log: Logger): Promise<((app: Express) => void) | undefined> {
  const token = config.deploy.artifactToken;
  if (config.deploy.target !== 'kubernetes' || config.deploy.kubernetes?.artifacts.mode !== 'http' || !token) return undefined;
  const { artifactDownloadHandler } = await import('../deploy-targets/kubernetes/index.js');
  const handler = artifactDownloadHandler({ dataDir: config.dataDir, registry: runtime.store.registry, token, log });
  return (app) => app.use('/artifacts', (req, res) => void handler(req, res));
}
