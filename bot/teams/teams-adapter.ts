import { join } from 'node:path';
import type { Express } from 'express';
import { ConfigError } from '../../core/index.js';
import type { AdapterContext, ChatAdapter } from '../chat-adapter.js';
import { createTeamsAuthentication, type TeamsAuthenticationOptions } from './auth/teams-authentication.js';
import { BackgroundTasks } from './background-tasks.js';
import { ConversationReferences } from './conversation-references.js';
import { HostedImageStore } from './images/hosted-image-store.js';
import { ImageHost } from './images/image-host.js';
import { IMAGES_ROUTE, imagesRoute } from './images/images-route.js';
import { TEAMS_MESSAGES_PATH, messagesRoute } from './messages-route.js';
import { OpsbotCloudAdapter } from './opsbot-cloud-adapter.js';
import { PostedThreads } from './posted-threads.js';
import { TeamsChatPort } from './teams-chat-port.js';
import { createTurnHandler } from './turn-handler.js';

export interface TeamsAdapterOptions {
  /**
   * Base URL outbound tokens are requested from instead of https://login.microsoftonline.com
   * (`{loginUrl}/{tenant}/oauth2/v2.0/token`); for tests and clouds behind a token proxy.
   */
  loginUrl?: string;
  /** MSAL's HTTP client for the outbound token (see TeamsAuthenticationOptions); MSAL's own by default. */
  msalNetwork?: TeamsAuthenticationOptions['msalNetwork'];
  /** How long an Action.Execute click waits for its command before answering "working on it" (default 8 s; Teams gives up at about 15 s). */
  invokeWaitMs?: number;
  /** Conversations whose Bot Framework reference is kept for posting outside a turn (default 10 000). */
  maxConversations?: number;
}

/** opsbot as a Microsoft Teams bot: Bot Framework's CloudAdapter on POST /api/messages, replies as Adaptive Cards. */
export function createTeamsAdapter(context: AdapterContext, options: TeamsAdapterOptions = {}): ChatAdapter {
  const { config, log } = context;
  const teams = config.teams;
  if (!teams) throw new ConfigError(['teams: the Teams adapter needs the teams section (MICROSOFT_APP_ID, or OPSBOT_TEAMS_EMULATOR=true)']);
  // Bot Framework skips authentication entirely without an app id; only the loopback emulator may run that way.
  if (!teams.appId && !teams.emulator) {
    throw new ConfigError(['MICROSOFT_APP_ID: the Teams endpoint needs an app id; without one Bot Framework accepts anyone. Set OPSBOT_TEAMS_EMULATOR=true for the local emulator.']);
  }
  const auth = createTeamsAuthentication(teams, { loginUrl: options.loginUrl, msalNetwork: options.msalNetwork });
  const adapter = new OpsbotCloudAdapter(auth.botFramework);
  const references = new ConversationReferences(options.maxConversations);
  const background = new BackgroundTasks(log);
  const threads = new PostedThreads(options.maxConversations);
  const { publicUrl } = config.http;
  // Charts outgrow Teams' message limit as data URLs; with a public address, Teams fetches them from here instead.
  const images = publicUrl ? new ImageHost(new HostedImageStore(join(config.dataDir, 'images')), publicUrl) : undefined;
  const chat = new TeamsChatPort({ adapter, appId: teams.appId, references, log, images, threads, serviceUrl: teams.serviceUrl });
  const onTurn = createTurnHandler({ handle: context.handle, references, threads, background, log, invokeWaitMs: options.invokeWaitMs ?? 8_000 });

  return {
    platform: 'teams',
    chat,
    mount(app: Express) {
      app.post(TEAMS_MESSAGES_PATH, ...messagesRoute({ auth: auth.botFramework, adapter, authRequired: Boolean(teams.appId), onTurn, log }));
      if (!teams.appId) log.warn({ path: TEAMS_MESSAGES_PATH }, 'Teams emulator mode: requests are NOT authenticated; never expose this endpoint');
      else log.info({ path: TEAMS_MESSAGES_PATH, appType: teams.appType }, 'Teams bot endpoint mounted');
      if (images) app.get(IMAGES_ROUTE, imagesRoute(images.store));
      else log.warn({ missing: 'OPSBOT_PUBLIC_URL' }, 'Teams cannot show charts too large for a message; set OPSBOT_PUBLIC_URL to the https:// address opsbot is reached at');
    },
    async start() {},
    async stop() {
      await background.drain();
    },
    // Teams pushes to the bot, so there is no connection to watch: ready means replies can be signed.
    readiness: () => auth.readiness(),
  };
}
