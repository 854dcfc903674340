import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { startBotServer } from '../app/bot-server.js';
import { createLogger } from '../app/logger.js';
import { localIdentity } from '../bot/local/index.js';
import { defaultConfig } from '../core/index.js';

/**
 * One side of the Slack ack bench, in its own process so its event loop is not the
 * client's: `opsbot` (the whole bot server, SQLite store and in-process queue, as
 * `opsbot serve` runs it) or `bolt` (a minimal Bolt app on its HTTPReceiver that acks
 * and says one line). Arguments: side, signing secret, bot token, Web API URL.
 * Prints `READY <events URL>` once it listens.
 */
const [side, signingSecret = '', botToken = '', apiUrl = ''] = process.argv.slice(2);

async function startOpsbot(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opsbot-ack-bench-'));
  const config = {
    ...defaultConfig(),
    dataDir,
    http: { port: 0, host: '127.0.0.1' },
    playground: { enabled: false, remote: false },
    slack: { signingSecret, botToken, apiUrl },
  };
  const log = createLogger(config, { file: join(dataDir, 'opsbot.log') });
  const bot = await startBotServer({ config, log, workDir: dataDir, localUser: localIdentity(), fallbackToFreePort: false });
  if (!bot.http) throw new Error('the bot server did not open its HTTP server');
  process.once('SIGTERM', () => void bot.stop().then(() => process.exit(0)));
  return `${bot.http.url}/slack/events`;
}

async function startBolt(): Promise<string> {
  const app = new App({ signingSecret, token: botToken, botId: 'B0001', botUserId: 'UBOT0001', clientOptions: { slackApiUrl: apiUrl }, logLevel: LogLevel.WARN });
  app.command(/^\//, async ({ ack, say, command }) => {
    await ack();
    await say(`ran ${command.text}`);
  });
  const server = (await app.start(0)) as Server;
  process.once('SIGTERM', () => void app.stop().then(() => process.exit(0)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
}

const url = side === 'opsbot' ? await startOpsbot() : side === 'bolt' ? await startBolt() : undefined;
if (!url) throw new Error(`unknown side ${side ?? ''}: expected opsbot or bolt`);
process.stdout.write(`READY ${url}\n`);
