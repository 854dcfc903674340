import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { setTimeout as delay } from 'node:timers/promises';
import type { Express } from 'express';
import { ConfigError } from '../../core/index.js';
import type { AdapterContext, ChatAdapter } from '../chat-adapter.js';
import { boltLogger } from './bolt-logger.js';
import { BotIdentityCache } from './bot-identity.js';
import { CommandRunner } from './command-runner.js';
import { AckOnArrivalReceiver } from './ack-on-arrival.js';
import { dedupeRetries } from './dedupe-retries.js';
import { SlackHttpReceiver } from './http-receiver.js';
import { SlackChat } from './slack-chat.js';
import { registerListeners } from './slack-listeners.js';
import { UserDirectory } from './user-directory.js';
import { createWebClient, DEFAULT_RETRY, normalizeApiUrl, slackErrorCode, webClientOptions, type RetryOptions } from './web-client.js';

export interface SlackAdapterOptions {
  /** The bot's user and bot ids, when known: skips auth.test. */
  botUserId?: string;
  botId?: string;
  /** Least time between two edits of one message; Slack allows about one per second. */
  updateIntervalMs?: number;
  /** Web API retries (rate limits included); defaults to DEFAULT_RETRY. */
  retryConfig?: RetryOptions;
  /** Per-request Web API timeout. */
  requestTimeoutMs?: number;
  /** How long event ids are remembered to drop Slack's retries (at least an hour). */
  eventIdTtlMs?: number;
  /** HTTP mode: the path of the one Request URL. */
  path?: string;
}

/** The Slack ChatAdapter, with what tests and shutdown also need. */
export interface SlackAdapter extends ChatAdapter {
  readonly platform: 'slack';
  readonly chat: SlackChat;
  /** The Bolt app (listeners, error handler), exposed for diagnostics. */
  readonly app: App;
  /** 'http' (signed requests on the shared server) or 'socket' (Socket Mode, SLACK_APP_TOKEN). */
  readonly mode: 'http' | 'socket';
  /** Resolves when every command received so far has been dispatched and answered. */
  settled(): Promise<void>;
}

const SOCKET_CLOSE_WAIT_MS = 5000;

/** Web API errors that mean the token is wrong, as opposed to Slack being unreachable. */
const BAD_TOKEN = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

/**
 * opsbot as a Slack app on Bolt: HTTP mode on the shared express server (POST
 * /slack/events for events, slash commands and interactivity), or Socket Mode when an
 * app-level token is configured.
 */
export function createSlackAdapter(context: AdapterContext, options: SlackAdapterOptions = {}): SlackAdapter {
  const { config, log } = context;
  const slack = config.slack;
  if (!slack) throw new ConfigError(['SLACK_BOT_TOKEN: the Slack adapter needs the slack section of the config (SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)']);
  if (!slack.appToken && !slack.signingSecret) {
    throw new ConfigError(['SLACK_SIGNING_SECRET: HTTP mode needs the signing secret to verify requests, or set SLACK_APP_TOKEN for Socket Mode']);
  }
  const logger = boltLogger(log, LogLevel.INFO);
  const settings = {
    slackApiUrl: normalizeApiUrl(slack.apiUrl),
    logger,
    retryConfig: options.retryConfig ?? DEFAULT_RETRY,
    timeoutMs: options.requestTimeoutMs ?? 30_000,
  };
  const client = createWebClient({ ...settings, token: slack.botToken });
  const bot = new BotIdentityCache(client, { botUserId: options.botUserId, botId: options.botId });
  const chat = new SlackChat({ client, log, updateIntervalMs: options.updateIntervalMs });
  const runner = new CommandRunner({ handle: context.handle, chat, log });

  const mode = slack.appToken ? 'socket' : 'http';
  const httpReceiver = slack.appToken ? undefined : new SlackHttpReceiver({ signingSecret: slack.signingSecret ?? '', log, path: options.path });
  const socketReceiver = slack.appToken
    ? new SocketModeReceiver({
        appToken: slack.appToken,
        logger,
        // No retryConfig: the Socket Mode client's own (100 tries) keeps reconnecting through long outages.
        installerOptions: { clientOptions: { slackApiUrl: settings.slackApiUrl, timeout: settings.timeoutMs } },
      })
    : undefined;
  const receiver = httpReceiver ?? (socketReceiver && new AckOnArrivalReceiver(socketReceiver, log));
  if (!receiver) throw new ConfigError(['SLACK_APP_TOKEN: no way to receive Slack traffic is configured']);

  const app = new App({
    receiver,
    // Our own authorize instead of `token`: Bolt would otherwise call auth.test from its constructor, unawaited.
    authorize: async () => {
      const me = await bot.get();
      return { botToken: slack.botToken, botUserId: me.botUserId, botId: me.botId };
    },
    logger,
    clientOptions: webClientOptions(settings),
    convoStore: false,
    ignoreSelf: true,
  });
  app.use(dedupeRetries(log, options.eventIdTtlMs));
  registerListeners(app, { runner, chat, directory: new UserDirectory(client, log), client, log, audit: context.audit });
  app.error(async (error) => {
    log.error({ err: error, code: error.code }, 'Slack listener failed');
  });

  return {
    platform: 'slack',
    chat,
    app,
    mode,
    mount(express: Express) {
      // Socket Mode receives over its own connection: no routes.
      httpReceiver?.mount(express);
    },
    async start() {
      try {
        const me = await bot.get();
        log.info({ bot: me.description ?? me.botUserId, mode }, 'Slack bot token verified');
      } catch (error) {
        const code = slackErrorCode(error);
        if (code && BAD_TOKEN.has(code)) throw new ConfigError([`SLACK_BOT_TOKEN: Slack rejected the bot token (${code}); copy it again from OAuth & Permissions`]);
        // Slack unreachable now: authorize asks again on the first request.
        log.warn({ err: error }, 'could not verify the Slack bot token yet; will retry on the first request');
      }
      try {
        await app.start();
      } catch (error) {
        const code = slackErrorCode(error);
        if (code && BAD_TOKEN.has(code)) throw new ConfigError([`SLACK_APP_TOKEN: Slack rejected the app-level token (${code}); it needs the connections:write scope (Basic Information → App-Level Tokens)`]);
        throw error;
      }
    },
    async stop() {
      if (socketReceiver) {
        // Bolt's receiver does not wait for the close handshake; wait for it (bounded), so nothing lingers.
        await Promise.race([socketReceiver.client.disconnect(), delay(SOCKET_CLOSE_WAIT_MS, undefined, { ref: false })]);
      } else {
        await app.stop();
      }
      await receiver.settled();
      await runner.settled();
      await chat.flush();
    },
    async settled() {
      await receiver.settled();
      await runner.settled();
    },
    async readiness() {
      if (socketReceiver && !socketReceiver.client.websocket?.isActive()) throw new Error('the Socket Mode connection to Slack is not open');
      // Cached once verified; while Slack has not confirmed the bot token, this asks again.
      await bot.get();
    },
  };
}
