import { join, resolve } from 'node:path';
import { localIdentity, runTerminalSession } from '../bot/local/index.js';
import type { PlaygroundAccess } from '../bot/playground/index.js';
import { ConfigError, type LoadedConfig } from '../core/index.js';
import { startBotServer, type BotServer } from './bot-server.js';
import { createLogger } from './logger.js';
import { describeStateStore } from './open-state-store.js';
import { isRedisConnectionError, redactRedisUrl } from '../workers/bullmq/redis-unreachable.js';
import { waitForJobs } from './wait-for-jobs.js';

/**
 * `opsbot start`: the bot with the local chat in this terminal and the browser playground,
 * plus Slack and Teams when configured, on whichever queue the config selects.
 */
export async function startBot(loaded: LoadedConfig, options: { user?: string }): Promise<void> {
  const { config } = loaded;
  const logFile = join(config.dataDir, 'opsbot.log');
  const log = createLogger(config, { file: logFile });
  const output = process.stdout;
  const identity = localIdentity(options.user);
  const interactive = Boolean(process.stdin.isTTY);
  const bot = await startBotServer({ config, log, workDir: process.cwd(), localUser: identity, fallbackToFreePort: process.env.PORT === undefined });
  const { runtime } = bot;

  output.write(`${banner(bot, loaded, `local chat as ${identity.platform}:${identity.userId}; log in ${logFile}`)}\nType \`help\` to see the commands, \`quit\` to leave.\n`);
  for (const warning of loaded.warnings) output.write(`warning: ${warning}\n`);
  // Said once here; the log has a line per reconnection attempt.
  runtime.redis?.once('error', (error: Error) => {
    if (!isRedisConnectionError(error)) return;
    const code = (error as { code?: unknown }).code;
    output.write(
      `warning: Redis at ${redactRedisUrl(config.redisUrl ?? '')} cannot be reached${typeof code === 'string' ? ` (${code})` : ''}; opsbot keeps retrying, and commands that need the job queue are refused until it answers.\n`,
    );
  });

  const stop = once(async () => {
    await bot.stop();
    log.flush();
  });
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(143)));

  await runTerminalSession({
    input: process.stdin,
    output,
    workspace: bot.workspace,
    identity,
    interactive,
    chartsDir: resolve(config.dataDir, 'charts'),
    handle: (command) => runtime.dispatcher.handle(command),
    onEnd: async (jobIds) => {
      if (!interactive && jobIds.length > 0) {
        await waitForJobs(runtime.store.jobs, jobIds);
        await runtime.relay.settled();
      }
    },
  });
  await stop();
}

/** `opsbot serve`: no terminal chat — Slack, Teams and the playground until SIGTERM (for servers). */
export async function serveBot(loaded: LoadedConfig): Promise<void> {
  const { config } = loaded;
  // A generated token would be printed into the server's log (stdout, then journald or a log shipper): a server names its own.
  if (config.playground.enabled && config.playground.remote && !config.playground.token) {
    throw new ConfigError(['OPSBOT_PLAYGROUND_TOKEN: `opsbot serve` with OPSBOT_PLAYGROUND_REMOTE=true needs a token of your own (e.g. `openssl rand -hex 32`), so none is printed into its log']);
  }
  const log = createLogger(config, 'stdout');
  for (const warning of loaded.warnings) log.warn({}, warning);
  const bot = await startBotServer({ config, log, workDir: process.cwd(), localUser: localIdentity(), fallbackToFreePort: false });
  log.info({}, banner(bot, loaded, 'serving'));
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  log.info({}, 'opsbot stopping; finishing the commands already received');
  await bot.stop();
}

function banner(bot: BotServer, loaded: LoadedConfig, what: string): string {
  const { config } = loaded;
  const queue = bot.runtime.mode === 'bullmq' ? `BullMQ on ${redactRedisUrl(config.redisUrl ?? '')} (jobs run on \`opsbot worker\` processes)` : 'in-process queue';
  const platforms = bot.adapters.map((adapter) => adapter.platform).filter((p) => p !== 'local');
  const url = bot.http?.url;
  const lines = [`opsbot — ${what}; ${queue}; state in ${describeStateStore(config)}.`];
  if (url && bot.playgroundAccess) lines.push(playgroundLine(url, bot.playgroundAccess));
  if (platforms.includes('slack')) lines.push(`Slack: ${config.slack?.appToken ? 'Socket Mode' : `events at ${url}/slack/events`}`);
  if (platforms.includes('teams')) lines.push(`Teams: messages at ${url}/api/messages${config.teams?.emulator ? ' (emulator mode, no auth)' : ''}`);
  return lines.join('\n');
}

/** Only a generated token is printed (by `opsbot start`, in its terminal): it is new at each start, and a configured one is already known. */
function playgroundLine(url: string, access: PlaygroundAccess): string {
  if (!access.remote) return `Playground: ${url}/ (this machine only)`;
  if (access.tokenSource === 'config') return `Playground: ${url}/?token=<OPSBOT_PLAYGROUND_TOKEN> (open to other machines, with the token)`;
  return `Playground: ${url}/?token=${access.token} (open to other machines with this token, new at each start; set OPSBOT_PLAYGROUND_TOKEN to keep one)`;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}
