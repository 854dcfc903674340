// The footprint bench's baseline: a minimal Bolt app (HTTPReceiver, one slash command and a
// /healthz route), plain JavaScript started by plain node, as `opsbot serve` is.
// Environment: PORT, SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL.
import { App, LogLevel } from '@slack/bolt';

const app = new App({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  token: process.env.SLACK_BOT_TOKEN,
  // Known ids: Bolt skips its auth.test call at start.
  botId: 'B0001',
  botUserId: 'UBOT0001',
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  logLevel: LogLevel.WARN,
  customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => res.writeHead(200).end('ok') }],
});
app.command(/^\//, async ({ ack }) => ack());
await app.start(Number(process.env.PORT));
process.once('SIGTERM', () => void app.stop().then(() => process.exit(0)));
