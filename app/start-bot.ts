import { join } from 'node:path';
import { LocalWorkspace, localIdentity, runTerminalSession } from '../bot/index.js';
import type { LoadedConfig } from '../core/index.js';
import { createLogger } from './logger.js';
import { describeStateStore } from './open-state-store.js';
import { createOpsbotRuntime } from './runtime.js';
import { waitForJobs } from './wait-for-jobs.js';

/** `opsbot start`: the bot with the local terminal adapter, on whichever queue the config selects. */
export async function startBot(loaded: LoadedConfig, options: { user?: string }): Promise<void> {
  const { config } = loaded;
  const logFile = join(config.dataDir, 'opsbot.log');
  const log = createLogger(config, { file: logFile });
  const output = process.stdout;
  const chat = new LocalWorkspace();
  const runtime = await createOpsbotRuntime({ config, chat, log, workDir: process.cwd() });
  const identity = localIdentity(options.user);
  const interactive = Boolean(process.stdin.isTTY);

  const queueText = runtime.mode === 'bullmq' ? `BullMQ on ${redact(config.redisUrl ?? '')} (jobs run on \`opsbot worker\` processes)` : 'in-process queue';
  output.write(
    `opsbot — local chat as ${identity.platform}:${identity.userId}; ${queueText}; state in ${describeStateStore(config)}; log in ${logFile}.\n` +
      `Type \`help\` to see the commands, \`quit\` to leave.\n`,
  );
  for (const warning of loaded.warnings) output.write(`warning: ${warning}\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await runtime.close();
    log.flush();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(143)));

  await runTerminalSession({
    input: process.stdin,
    output,
    workspace: chat,
    identity,
    interactive,
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

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
